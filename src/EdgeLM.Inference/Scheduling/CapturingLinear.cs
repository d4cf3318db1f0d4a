using EdgeLM.Inference.Compute;

namespace EdgeLM.Inference.Scheduling;

/// <summary>
/// Wraps the forward pass's matrix product to read the final hidden states: the output projection is the one
/// product whose input is the output-normed last hidden state of each logit row. While <see cref="PoolingSum"/>
/// is set, those rows are added to it (mean pooling for embeddings) and the vocabulary projection is skipped.
/// This needs no change to <see cref="ForwardPass"/>.
/// </summary>
internal sealed unsafe class CapturingLinear(ILinear inner, WeightMatrix output) : ILinear
{
    public double[]? PoolingSum { get; set; }

    public void Apply(WeightMatrix w, float* x, int nTokens, float* y)
    {
        if (PoolingSum is { } sum && ReferenceEquals(w, output))
        {
            int cols = w.Cols;
            for (int t = 0; t < nTokens; t++)
                for (int c = 0; c < cols; c++)
                    sum[c] += x[t * cols + c];
            return;
        }
        inner.Apply(w, x, nTokens, y);
    }
}
