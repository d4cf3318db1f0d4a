using System.Text.Json.Nodes;

namespace EdgeLM.Templates.Tests;

public sealed class ChatTemplateTests
{
    [Fact]
    public void ChatMl_fallback_lays_out_messages_and_the_generation_prompt()
    {
        var messages = new[] { new ChatMessage("system", "Be brief."), new ChatMessage("user", "Hi") };
        Assert.Equal("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n",
            ChatTemplate.ChatMlFallback.Apply(messages, addGenerationPrompt: true, bosToken: null, eosToken: null));
        Assert.Equal("<|im_start|>user\nHi<|im_end|>\n",
            ChatTemplate.ChatMlFallback.Apply([messages[1]], addGenerationPrompt: false, bosToken: null, eosToken: null));
    }

    [Fact]
    public void Apply_passes_tokens_tools_tool_calls_and_extra_variables()
    {
        var template = new ChatTemplate(
            "{{ bos_token }}{% for m in messages %}{{ m.role }}:{{ m.content }}{% if m.tool_calls is defined %}{{ m.tool_calls[0].function.name }}{% endif %}{% if m.tool_call_id is defined %}#{{ m.tool_call_id }}{% endif %};{% endfor %}"
            + "{{ tools | length }}{{ documents is none }}{{ flag }}{{ eos_token }}");
        var call = JsonNode.Parse("[{\"id\": \"c1\", \"type\": \"function\", \"function\": {\"name\": \"get_weather\", \"arguments\": {}}}]")!.AsArray();
        var tools = JsonNode.Parse("[{\"type\": \"function\"}]")!.AsArray();
        var messages = new[]
        {
            new ChatMessage("assistant", "") { ToolCalls = call },
            new ChatMessage("tool", "18C") { ToolCallId = "c1", Name = "get_weather" },
        };
        string output = template.Apply(messages, false, "<s>", "</s>", tools, new Dictionary<string, object?> { ["flag"] = "!" });
        Assert.Equal("<s>assistant:get_weather;tool:18C#c1;1True!</s>", output);
    }
}
