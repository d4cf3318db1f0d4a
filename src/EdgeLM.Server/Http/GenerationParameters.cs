using EdgeLM.Inference.Sampling;

namespace EdgeLM.Server.Http;

/// <summary>The generation settings of a request, whichever API it came through.</summary>
public sealed record GenerationParameters
{
    public SamplerOptions Sampler { get; init; } = new();

    /// <summary>Token limit the client asked for; null = until the context window is full.</summary>
    public int? MaxTokens { get; init; }

    public IReadOnlyList<string> Stop { get; init; } = [];

    /// <summary>-1: no log-probs; 0: the chosen token's only; n: plus the n most likely.</summary>
    public int TopLogprobs { get; init; } = -1;

    public bool JsonObject { get; init; }

    /// <summary>Keep generating past end-of-generation tokens (llama.cpp's ignore_eos), for benchmarks.</summary>
    public bool IgnoreEos { get; init; }

    /// <summary>Context the request asks for (Ollama num_ctx); must not exceed the server's.</summary>
    public int? ContextLength { get; init; }

    public const int MaxTokensLimit = 1_000_000;
}
