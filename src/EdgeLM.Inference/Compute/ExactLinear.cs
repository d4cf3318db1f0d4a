using System.Runtime.InteropServices;
using EdgeLM.Kernels.Formats;

namespace EdgeLM.Inference.Compute;

/// <summary>
/// Reference matrix product: each weight row dequantized exactly (bit-exact to ggml's to_float) and dotted with
/// the unrounded float activations in float64. Slow; it is the yardstick the fast path is tested against.
/// </summary>
public sealed unsafe class ExactLinear : ILinear
{
    public void Apply(WeightMatrix w, float* x, int nTokens, float* y)
    {
        var row = new float[w.Cols];
        for (int r = 0; r < w.Rows; r++)
        {
            TensorFormats.Dequantize(w.Type, w.Row(r), row);
            for (int t = 0; t < nTokens; t++)
            {
                float* xt = x + (long)t * w.Cols;
                double sum = 0;
                for (int c = 0; c < row.Length; c++)
                    sum += (double)row[c] * xt[c];
                y[(long)t * w.Rows + r] = (float)sum;
            }
        }
    }
}
