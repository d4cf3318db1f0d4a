using EdgeLM.Server.Tools;

namespace EdgeLM.Server.Tests;

public sealed class ToolCallParserTests
{
    private static readonly HashSet<string> s_tools = ["get_weather", "search"];

    [Fact]
    public void Hermes_tool_call_blocks_become_calls_and_the_rest_content()
    {
        var parsed = ToolCallParser.Parse("Let me check.\n<tool_call>\n{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}\n</tool_call>\n<tool_call>{\"name\":\"search\",\"arguments\":{\"q\":\"x\"}}</tool_call>", s_tools);
        Assert.Equal(2, parsed.ToolCalls.Count);
        Assert.Equal("get_weather", parsed.ToolCalls[0].Name);
        Assert.Equal("{\"city\":\"Paris\"}", parsed.ToolCalls[0].Arguments);
        Assert.Equal("Let me check.", parsed.Content);
    }

    [Fact]
    public void Llama3_json_replies_become_calls()
    {
        var parsed = ToolCallParser.Parse("<|python_tag|>{\"name\": \"search\", \"parameters\": {\"q\": \"a;b\"}}; {\"name\": \"get_weather\", \"parameters\": {}}", s_tools);
        Assert.Equal(["search", "get_weather"], parsed.ToolCalls.Select(c => c.Name));
        Assert.Equal("{\"q\":\"a;b\"}", parsed.ToolCalls[0].Arguments);
        Assert.Null(parsed.Content);
    }

    [Theory]
    [InlineData("{\"name\": \"unknown_tool\", \"parameters\": {}}")]
    [InlineData("just text")]
    [InlineData("<tool_call>{not json}</tool_call>")]
    public void Other_text_stays_content(string text)
    {
        var parsed = ToolCallParser.Parse(text, s_tools);
        Assert.Empty(parsed.ToolCalls);
        Assert.Equal(text, parsed.Content);
    }
}
