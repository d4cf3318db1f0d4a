using System.Text;
using System.Text.Json.Nodes;
using EdgeLM.Templates.Values;

namespace EdgeLM.Templates;

/// <summary>
/// Formats a conversation with a model's chat template, passing the same variables as
/// transformers' apply_chat_template: messages, tools, documents, add_generation_prompt,
/// bos_token, eos_token, plus any extra keyword arguments.
/// </summary>
public sealed class ChatTemplate
{
    /// <summary>
    /// The layout used for models without a template: ChatML, i.e.
    /// <c>&lt;|im_start|&gt;{role}\n{content}&lt;|im_end|&gt;\n</c> per message and
    /// <c>&lt;|im_start|&gt;assistant\n</c> when a generation prompt is asked for.
    /// </summary>
    public const string ChatMlSource =
        "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + (message['content'] or '') + '<|im_end|>' + '\\n' }}{% endfor %}" +
        "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    private readonly Template _template;

    public ChatTemplate(Template template)
    {
        _template = template ?? throw new ArgumentNullException(nameof(template));
    }

    /// <summary>Parses <paramref name="source"/> (e.g. the GGUF key tokenizer.chat_template).</summary>
    public ChatTemplate(string source, string? name = null)
        : this(Template.Parse(source, name))
    {
    }

    /// <summary>The ChatML fallback for models that ship no template.</summary>
    public static ChatTemplate ChatMlFallback { get; } = new(ChatMlSource, "chatml-fallback");

    public Template Template => _template;

    public string Apply(
        IReadOnlyList<ChatMessage> messages,
        bool addGenerationPrompt,
        string? bosToken,
        string? eosToken,
        JsonArray? tools = null,
        IReadOnlyDictionary<string, object?>? extra = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var variables = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (extra is not null)
        {
            foreach (var kv in extra)
                variables[kv.Key] = kv.Value;
        }
        variables["messages"] = messages.Select(ToDict).ToList<object?>();
        variables["tools"] = tools is null ? null : JsonValues.FromNode(tools);
        // transformers always passes documents (None when absent); a caller may override it via extra.
        if (!variables.ContainsKey("documents"))
            variables["documents"] = null;
        variables["add_generation_prompt"] = addGenerationPrompt;
        if (bosToken is not null)
            variables["bos_token"] = bosToken;
        if (eosToken is not null)
            variables["eos_token"] = eosToken;
        return _template.Render(variables);
    }

    // Only the keys a message really has are set, so 'message.tool_calls is defined' behaves as in Python.
    private static object? ToDict(ChatMessage message)
    {
        var dict = new PyDict();
        dict.Set("role", message.Role);
        dict.Set("content", message.Content);
        if (message.ToolCalls is not null)
            dict.Set("tool_calls", JsonValues.FromNode(message.ToolCalls));
        if (message.ToolCallId is not null)
            dict.Set("tool_call_id", message.ToolCallId);
        if (message.Name is not null)
            dict.Set("name", message.Name);
        return dict;
    }
}
