using System.Text.Json.Nodes;

namespace EdgeLM.Templates;

/// <summary>One chat message as transformers passes it to a template (a dict with role, content, ...).</summary>
public sealed record ChatMessage(string Role, string? Content)
{
    /// <summary>OpenAI-style tool calls ({"id", "type", "function": {"name", "arguments"}}), or null.</summary>
    public JsonArray? ToolCalls { get; init; }

    /// <summary>For role "tool": the id of the call this message answers.</summary>
    public string? ToolCallId { get; init; }

    /// <summary>For role "tool": the function name.</summary>
    public string? Name { get; init; }
}
