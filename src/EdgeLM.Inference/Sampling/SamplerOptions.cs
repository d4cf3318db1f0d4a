namespace EdgeLM.Inference.Sampling;

/// <summary>
/// How the next token is chosen. Defaults follow llama.cpp's: temperature 0.8, top-k 40, top-p 0.95, min-p 0.05,
/// no repetition penalty. Temperature ≤ 0 means greedy (always the most likely token).
/// </summary>
public sealed record SamplerOptions
{
    public float Temperature { get; init; } = 0.8f;
    public int TopK { get; init; } = 40;
    public float TopP { get; init; } = 0.95f;
    public float MinP { get; init; } = 0.05f;
    public float RepeatPenalty { get; init; } = 1.0f;
    public float FrequencyPenalty { get; init; }
    public float PresencePenalty { get; init; }

    /// <summary>How many recent tokens the penalties look at (llama.cpp's repeat_last_n).</summary>
    public int PenaltyWindow { get; init; } = 64;

    /// <summary>Random seed; null picks one from the clock.</summary>
    public int? Seed { get; init; }

    public static SamplerOptions Greedy { get; } = new() { Temperature = 0 };

    public bool IsGreedy => Temperature <= 0;

    /// <summary>Throws with the option's name when a value is out of range.</summary>
    public void Validate()
    {
        if (float.IsNaN(Temperature)) throw new ArgumentException("temperature must be a number");
        if (TopK < 0) throw new ArgumentException($"top-k must be ≥ 0 (0 disables it), got {TopK}");
        if (!(TopP > 0 && TopP <= 1)) throw new ArgumentException($"top-p must be in (0, 1], got {TopP}");
        if (!(MinP >= 0 && MinP <= 1)) throw new ArgumentException($"min-p must be in [0, 1], got {MinP}");
        if (!(RepeatPenalty > 0)) throw new ArgumentException($"repeat penalty must be > 0, got {RepeatPenalty}");
        if (PenaltyWindow < 0) throw new ArgumentException($"penalty window must be ≥ 0, got {PenaltyWindow}");
    }
}
