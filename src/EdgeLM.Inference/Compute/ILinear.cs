namespace EdgeLM.Inference.Compute;

/// <summary>
/// Matrix products of the forward pass: y[t·rows + r] = Σ_c W[r][c]·x[t·cols + c] for t &lt; nTokens.
/// Two implementations: <see cref="ExactLinear"/> (dequantized weights, float64 sums, no activation rounding:
/// the reference) and <see cref="QuantizedLinear"/> (llama.cpp's arithmetic: activations rounded to the weight's
/// paired type, integer dot products, SIMD, threads).
/// </summary>
public unsafe interface ILinear
{
    void Apply(WeightMatrix w, float* x, int nTokens, float* y);
}
