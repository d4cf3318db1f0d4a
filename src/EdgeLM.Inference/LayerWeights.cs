namespace EdgeLM.Inference;

/// <summary>The tensors of one transformer block. Fused matrices are split into row views at load time.</summary>
public sealed class LayerWeights
{
    public required float[] AttnNorm { get; init; }
    public required WeightMatrix Wq { get; init; }
    public required WeightMatrix Wk { get; init; }
    public required WeightMatrix Wv { get; init; }

    /// <summary>Fused q|k|v matrix when the architecture stores one (one matmul instead of three).</summary>
    public WeightMatrix? Wqkv { get; init; }
    public float[]? Bq { get; init; }
    public float[]? Bk { get; init; }
    public float[]? Bv { get; init; }
    public float[]? QNorm { get; init; }
    public float[]? KNorm { get; init; }
    public required WeightMatrix Wo { get; init; }
    public required float[] FfnNorm { get; init; }
    public required WeightMatrix Gate { get; init; }
    public required WeightMatrix Up { get; init; }

    /// <summary>Fused gate|up matrix when the architecture stores one.</summary>
    public WeightMatrix? GateUp { get; init; }
    public required WeightMatrix Down { get; init; }
}
