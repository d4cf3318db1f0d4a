namespace EdgeLM.Inference.Scheduling;

/// <summary>How a <see cref="BatchScheduler"/> shares one model between concurrent sequences.</summary>
public sealed record BatchSchedulerOptions
{
    /// <summary>Sequences generated at once; each owns one KV-cache slot of <see cref="ContextLength"/> tokens.</summary>
    public int Parallel { get; init; } = 4;

    /// <summary>Context window per slot; 0 means the model's training context, at most 4096.</summary>
    public int ContextLength { get; init; }

    /// <summary>
    /// Prompt tokens processed per step across all prefilling sequences (chunked prefill): a long prompt is
    /// spread over several steps so the streams already decoding keep getting a token every step.
    /// </summary>
    public int StepTokens { get; init; } = 256;

    /// <summary>Requests allowed to wait for a slot; beyond that <see cref="BatchScheduler.TrySubmit"/> refuses.</summary>
    public int MaxQueue { get; init; } = 64;

    /// <summary>Worker threads; 0 means one per core.</summary>
    public int Threads { get; init; }

    public KvCacheType KvCacheType { get; init; } = KvCacheType.F16;

    /// <summary>Bytes of KV cache these options need for <paramref name="model"/> (plus one slot kept for embeddings).</summary>
    public long KvBytes(Model model)
    {
        var hp = model.Hyperparameters;
        return KvCache.BytesFor(hp.BlockCount, Parallel + 1, ResolveContext(model), hp.KvDim, KvCacheType);
    }

    public int ResolveContext(Model model) =>
        new SessionOptions { ContextLength = ContextLength }.ResolveContext(model);

    public void Validate()
    {
        if (Parallel < 1 || Parallel > 256) throw new ArgumentException($"parallel must be in 1..256, got {Parallel}");
        if (StepTokens < 1) throw new ArgumentException($"step tokens must be positive, got {StepTokens}");
        if (MaxQueue < 0) throw new ArgumentException($"max queue must be ≥ 0, got {MaxQueue}");
        if (ContextLength < 0) throw new ArgumentException($"context length must be ≥ 0, got {ContextLength}");
    }
}
