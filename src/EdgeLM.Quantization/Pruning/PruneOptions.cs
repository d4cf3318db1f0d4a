namespace EdgeLM.Quantization.Pruning;

/// <summary>How weights are scored before the lowest-scoring ones are set to zero.</summary>
public enum PruneMethod
{
    /// <summary>|w|.</summary>
    Magnitude,

    /// <summary>Wanda (Sun et al. 2023): |w| · ‖x_col‖, the column norm taken from an importance matrix.</summary>
    Wanda,
}

/// <summary>Which weights compete with each other.</summary>
public enum PrunePattern
{
    /// <summary>Within each output row, the lowest-scoring fraction <see cref="PruneOptions.Ratio"/> is zeroed.</summary>
    Unstructured,

    /// <summary>2:4 semi-structured sparsity: in every group of 4 consecutive inputs the 2 lowest are zeroed (ratio 0.5).</summary>
    TwoOfFour,
}

/// <summary>Pruning applied to the layer matrices before quantization.</summary>
public sealed record PruneOptions
{
    /// <summary>
    /// Above this ratio the quantizer refuses unless forced: pruned and quantized errors compound, and FlexQuant
    /// (pruning combined with low-bit quantization) reports quality collapsing beyond roughly 40% sparsity.
    /// </summary>
    public const double SafeRatio = 0.4;

    public required double Ratio { get; init; }
    public PruneMethod Method { get; init; } = PruneMethod.Magnitude;
    public PrunePattern Pattern { get; init; } = PrunePattern.Unstructured;
    public bool Force { get; init; }

    /// <summary>The fraction actually removed: 0.5 for 2:4, <see cref="Ratio"/> otherwise.</summary>
    public double EffectiveRatio => Pattern == PrunePattern.TwoOfFour ? 0.5 : Ratio;

    /// <summary>Throws when the options are out of range or exceed <see cref="SafeRatio"/> without <see cref="Force"/>.</summary>
    public void Validate()
    {
        if (Pattern == PrunePattern.Unstructured && (!double.IsFinite(Ratio) || Ratio <= 0 || Ratio >= 1))
        {
            throw new ArgumentException($"prune ratio must be between 0 and 1 (exclusive), got {Ratio}");
        }
        if (EffectiveRatio > SafeRatio && !Force)
        {
            throw new ArgumentException(
                $"refusing to prune {EffectiveRatio:P0} of the weights: above {SafeRatio:P0} pruning and quantization errors compound " +
                "and quality collapses (FlexQuant); pass --force to do it anyway");
        }
    }
}
