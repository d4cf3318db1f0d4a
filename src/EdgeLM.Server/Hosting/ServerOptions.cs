using EdgeLM.Inference;

namespace EdgeLM.Server.Hosting;

/// <summary>Everything `edgelm serve` can be told on its command line.</summary>
public sealed record ServerOptions
{
    /// <summary>Models loaded at start: a path, or "alias=path".</summary>
    public IReadOnlyList<string> Models { get; init; } = [];

    /// <summary>A folder of .gguf files served on demand (loaded on first use, unloaded when idle).</summary>
    public string? ModelsDirectory { get; init; }

    public string Host { get; init; } = "127.0.0.1";

    /// <summary>TCP port; 0 picks a free one (printed once listening).</summary>
    public int Port { get; init; } = 8080;

    /// <summary>Concurrent sequences per model (KV-cache slots).</summary>
    public int Parallel { get; init; } = 4;

    /// <summary>Context window per slot; 0 = the model's training context, at most 4096.</summary>
    public int ContextLength { get; init; }

    public int Threads { get; init; }

    public KvCacheType KvCacheType { get; init; } = KvCacheType.F16;

    /// <summary>Bearer key every request (except /health) must present; null = no authentication.</summary>
    public string? ApiKey { get; init; }

    public long MaxBodyBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Requests waiting for a slot per model before the server answers 503.</summary>
    public int MaxQueue { get; init; } = 64;

    /// <summary>Prompt tokens per batch step (chunked prefill).</summary>
    public int StepTokens { get; init; } = 256;

    /// <summary>How long an on-demand model stays loaded without requests.</summary>
    public TimeSpan IdleUnload { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Requests in the drift reference window (the first N) and live window (the last N); 0 disables drift detection.</summary>
    public int DriftWindow { get; init; } = 200;

    /// <summary>PSI above which a statistic's drift is logged as a warning.</summary>
    public double DriftThreshold { get; init; } = 0.25;
}
