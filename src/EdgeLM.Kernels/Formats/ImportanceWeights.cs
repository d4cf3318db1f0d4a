namespace EdgeLM.Kernels.Formats;

/// <summary>
/// Per-value weights of the importance-weighted 32-block quantizers (quantize_row_q4_0_impl and
/// siblings): w = importance · sqrt(σ² + x²), σ² the mean square of the whole row, so that both the
/// column's importance and the value's own size count.
/// </summary>
internal static class ImportanceWeights
{
    public static float RowSigma2(ReadOnlySpan<float> row)
    {
        float sumX2 = 0;
        for (int j = 0; j < row.Length; j++)
        {
            sumX2 += row[j] * row[j];
        }
        return sumX2 / row.Length;
    }

    public static void Fill(float sigma2, ReadOnlySpan<float> x, ReadOnlySpan<float> importance, Span<float> weights)
    {
        for (int j = 0; j < x.Length; j++)
        {
            weights[j] = importance[j] * MathF.Sqrt(sigma2 + x[j] * x[j]);
        }
    }
}
