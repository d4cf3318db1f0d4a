namespace EdgeLM.Benchmarks.Duel;

/// <summary>What one prompt cost a provider: the text, time to the first text, total time and tokens.</summary>
public sealed record Completion(string Text, double TtftMs, double TotalMs, int PromptTokens, int CompletionTokens)
{
    /// <summary>Generated tokens per second after the first one arrived (decode speed, as the user sees it).</summary>
    public double TokensPerSecond => CompletionTokens > 1 && TotalMs > TtftMs ? (CompletionTokens - 1) * 1000.0 / (TotalMs - TtftMs) : 0;
}

/// <summary>A model that answers prompts: a local GGUF run in-process, or an OpenAI-compatible endpoint.</summary>
public interface IDuelProvider : IDisposable
{
    string Name { get; }

    Task<Completion> CompleteAsync(string prompt, int maxTokens, CancellationToken cancellation);
}
