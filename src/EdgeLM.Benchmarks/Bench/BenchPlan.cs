using EdgeLM.Inference;

namespace EdgeLM.Benchmarks.Bench;

/// <summary>
/// What `edgelm bench` sweeps: every model × thread count, with a pp test per prompt length and a tg test per
/// generation length (llama-bench's matrix). A length of 0 skips that test.
/// </summary>
public sealed record BenchPlan
{
    public required IReadOnlyList<string> Models { get; init; }

    public IReadOnlyList<int> Threads { get; init; } = [Environment.ProcessorCount];

    public IReadOnlyList<int> PromptLengths { get; init; } = [512];

    public IReadOnlyList<int> GenerationLengths { get; init; } = [128];

    public int Repetitions { get; init; } = 5;

    public int BatchSize { get; init; } = 512;

    public KvCacheType KvCacheType { get; init; } = KvCacheType.F16;

    public void Validate()
    {
        if (Models.Count == 0)
            throw new ArgumentException("bench needs at least one model");
        if (Threads.Any(t => t < 1))
            throw new ArgumentException("thread counts must be ≥ 1");
        if (PromptLengths.Any(p => p < 0) || GenerationLengths.Any(n => n < 0))
            throw new ArgumentException("-p and -n lengths must be ≥ 0");
        if (Repetitions < 1)
            throw new ArgumentException("-r must be ≥ 1");
        if (BatchSize < 1)
            throw new ArgumentException("the batch size must be ≥ 1");
    }
}
