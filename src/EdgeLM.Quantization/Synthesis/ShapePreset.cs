namespace EdgeLM.Quantization.Synthesis;

/// <summary>
/// The exact shape of a real model (public config.json values as llama.cpp's converter writes them), so a
/// random-weight copy can be benchmarked without downloading weights.
/// </summary>
public sealed record ShapePreset
{
    public required string Name { get; init; }
    public required string Architecture { get; init; }
    public required int EmbeddingLength { get; init; }
    public required int BlockCount { get; init; }
    public required int FeedForwardLength { get; init; }
    public required int HeadCount { get; init; }
    public required int HeadCountKv { get; init; }
    public required int HeadDim { get; init; }
    public required int VocabSize { get; init; }
    public required int ContextLength { get; init; }
    public required float RopeFreqBase { get; init; }
    public required float RmsEpsilon { get; init; }
    public required bool TiedEmbeddings { get; init; }

    /// <summary>Llama 3 rope scaling (factor, low/high frequency factors, original context), stored as rope_freqs.</summary>
    public (float Factor, float Low, float High, int OriginalContext)? Llama3RopeScaling { get; init; }

    public static IReadOnlyList<ShapePreset> All { get; } =
    [
        new()
        {
            Name = "Llama-3.2-1B", Architecture = "llama", EmbeddingLength = 2048, BlockCount = 16, FeedForwardLength = 8192,
            HeadCount = 32, HeadCountKv = 8, HeadDim = 64, VocabSize = 128256, ContextLength = 131072, RopeFreqBase = 500000f,
            RmsEpsilon = 1e-5f, TiedEmbeddings = true, Llama3RopeScaling = (32f, 1f, 4f, 8192),
        },
        new()
        {
            Name = "Qwen3-0.6B", Architecture = "qwen3", EmbeddingLength = 1024, BlockCount = 28, FeedForwardLength = 3072,
            HeadCount = 16, HeadCountKv = 8, HeadDim = 128, VocabSize = 151936, ContextLength = 40960, RopeFreqBase = 1000000f,
            RmsEpsilon = 1e-6f, TiedEmbeddings = true,
        },
        new()
        {
            Name = "Qwen2.5-1.5B", Architecture = "qwen2", EmbeddingLength = 1536, BlockCount = 28, FeedForwardLength = 8960,
            HeadCount = 12, HeadCountKv = 2, HeadDim = 128, VocabSize = 151936, ContextLength = 131072, RopeFreqBase = 1000000f,
            RmsEpsilon = 1e-6f, TiedEmbeddings = true,
        },
        new()
        {
            Name = "Phi-3-mini-4k", Architecture = "phi3", EmbeddingLength = 3072, BlockCount = 32, FeedForwardLength = 8192,
            HeadCount = 32, HeadCountKv = 32, HeadDim = 96, VocabSize = 32064, ContextLength = 4096, RopeFreqBase = 10000f,
            RmsEpsilon = 1e-5f, TiedEmbeddings = false,
        },
    ];

    /// <summary>Finds a preset by name, case-insensitively, ignoring '-', '_' and '.'.</summary>
    public static ShapePreset Find(string name)
    {
        static string Key(string s) => new(s.ToLowerInvariant().Where(char.IsLetterOrDigit).ToArray());
        return All.FirstOrDefault(p => Key(p.Name) == Key(name))
            ?? throw new ArgumentException($"unknown shape preset '{name}' (known: {string.Join(", ", All.Select(p => p.Name))}, or custom)");
    }

    /// <summary>
    /// Llama 3's per-dimension rope frequency divisors, as the converter computes them: 1 for high frequencies
    /// (wavelength below original/high), the factor for low frequencies (wavelength above original/low),
    /// a smooth blend between.
    /// </summary>
    public float[]? RopeFreqs()
    {
        if (Llama3RopeScaling is not { } s)
            return null;
        int n = HeadDim / 2;
        var result = new float[n];
        double lowWavelen = s.OriginalContext / s.Low, highWavelen = s.OriginalContext / s.High;
        for (int i = 0; i < n; i++)
        {
            double freq = 1.0 / Math.Pow(RopeFreqBase, 2.0 * i / HeadDim);
            double wavelen = 2 * Math.PI / freq;
            if (wavelen < highWavelen)
                result[i] = 1f;
            else if (wavelen > lowWavelen)
                result[i] = s.Factor;
            else
            {
                double smooth = (s.OriginalContext / wavelen - s.Low) / (s.High - s.Low);
                result[i] = (float)(1.0 / ((1 - smooth) / s.Factor + smooth));
            }
        }
        return result;
    }
}
