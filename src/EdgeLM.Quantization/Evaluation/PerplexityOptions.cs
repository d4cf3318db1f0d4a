using EdgeLM.Inference;

namespace EdgeLM.Quantization.Evaluation;

/// <summary>Settings of a perplexity run (llama-perplexity's -c, -t, -ctk).</summary>
public sealed record PerplexityOptions
{
    /// <summary>Tokens per chunk (n_ctx); only the second half of each chunk is scored.</summary>
    public int ContextLength { get; init; } = 512;

    public int Threads { get; init; }

    public KvCacheType KvCacheType { get; init; } = KvCacheType.F32;

    /// <summary>Evaluate only this many chunks (0 = all that fit).</summary>
    public int MaxChunks { get; init; }
}

/// <summary>Chunks done so far.</summary>
public readonly record struct PerplexityProgress(int ChunksDone, int ChunkCount, double RunningMeanNll);
