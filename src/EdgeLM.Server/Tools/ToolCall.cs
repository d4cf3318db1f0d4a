namespace EdgeLM.Server.Tools;

/// <summary>A function call found in model output; <see cref="Arguments"/> is a JSON object as text.</summary>
public sealed record ToolCall(string Id, string Name, string Arguments);

/// <summary>Model output split into plain content and tool calls.</summary>
public sealed record ParsedOutput(string? Content, IReadOnlyList<ToolCall> ToolCalls);
