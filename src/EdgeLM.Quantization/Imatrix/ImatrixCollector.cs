using EdgeLM.Inference;
using EdgeLM.Inference.Compute;

namespace EdgeLM.Quantization.Imatrix;

/// <summary>
/// Observes every matrix product of a forward pass and accumulates, per weight tensor, the sum of squared input
/// activations of each column and the number of activation rows (llama.cpp's imatrix in_sum2 / counts). Slices of a
/// fused matrix (phi3's attn_qkv) share one input, so only the first slice counts. The output projection is skipped
/// unless asked for, as llama-imatrix does by default.
/// </summary>
public sealed unsafe class ImatrixCollector(ILinear inner, WeightMatrix? skip) : ILinear
{
    private readonly Dictionary<string, (double[] Sums, long Count)> _stats = new(StringComparer.Ordinal);

    public void Apply(WeightMatrix w, float* x, int nTokens, float* y)
    {
        if (w.SliceStart == 0 && !ReferenceEquals(w, skip))
        {
            if (!_stats.TryGetValue(w.Source, out var s))
                s = (new double[w.Cols], 0);
            for (int t = 0; t < nTokens; t++)
            {
                float* row = x + (long)t * w.Cols;
                for (int c = 0; c < w.Cols; c++)
                    s.Sums[c] += row[c] * row[c];
            }
            _stats[w.Source] = (s.Sums, s.Count + nTokens);
        }
        inner.Apply(w, x, nTokens, y);
    }

    /// <summary>Writes what was collected into <paramref name="matrix"/>.</summary>
    public void CopyTo(ImportanceMatrix matrix)
    {
        foreach (var (name, (sums, count)) in _stats)
            matrix.Add(name, sums.Select(v => (float)v).ToArray(), [count]);
    }

    public IReadOnlyCollection<string> Names => _stats.Keys;
}
