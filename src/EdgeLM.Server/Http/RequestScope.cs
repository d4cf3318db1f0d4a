using System.Diagnostics;

namespace EdgeLM.Server.Http;

/// <summary>One request's id (returned as x-request-id and written in every log line about it), clock and token counts.</summary>
public sealed class RequestScope
{
    private static long s_next;

    public string Id { get; } = $"req-{Interlocked.Increment(ref s_next):x6}-{Environment.TickCount64 & 0xffff:x4}";

    public Stopwatch Clock { get; } = Stopwatch.StartNew();

    public string? Model { get; set; }

    public int PromptTokens { get; set; }

    public int GeneratedTokens { get; set; }
}
