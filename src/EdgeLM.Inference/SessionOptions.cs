namespace EdgeLM.Inference;

/// <summary>How a session runs a model.</summary>
public sealed record SessionOptions
{
    /// <summary>Context window in tokens; 0 means the model's training context (capped at 4096 to bound memory).</summary>
    public int ContextLength { get; init; }

    public KvCacheType KvCacheType { get; init; } = KvCacheType.F16;

    /// <summary>Worker threads; 0 means one per core.</summary>
    public int Threads { get; init; }

    /// <summary>Tokens per forward pass while processing a prompt (llama.cpp's n_ubatch).</summary>
    public int BatchSize { get; init; } = 512;

    /// <summary>
    /// Use the exact reference arithmetic (dequantized weights, no activation rounding) instead of llama.cpp's
    /// quantized kernels. Slow; for checking.
    /// </summary>
    public bool Exact { get; init; }

    /// <summary>
    /// Wraps the matrix-product implementation, e.g. to observe every matmul's input (importance matrices).
    /// </summary>
    public Func<Compute.ILinear, Compute.ILinear>? LinearDecorator { get; init; }

    /// <summary>KV cache slots (independent sequences) for batched serving.</summary>
    public int Slots { get; init; } = 1;

    public int ResolveContext(Model model)
    {
        int ctx = ContextLength > 0 ? ContextLength : Math.Min(model.Hyperparameters.TrainingContextLength, 4096);
        if (ctx < 1)
            throw new ArgumentException($"context length must be positive, got {ctx}");
        return ctx;
    }

    public int ResolveThreads() => Threads > 0 ? Threads : Environment.ProcessorCount;
}
