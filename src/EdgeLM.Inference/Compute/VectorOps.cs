using System.Numerics.Tensors;

namespace EdgeLM.Inference.Compute;

/// <summary>The element-wise pieces of the forward pass, computed the way ggml's CPU backend does.</summary>
public static unsafe class VectorOps
{
    /// <summary>
    /// y = x / sqrt(mean(x²) + eps) ⊙ w. ggml's rms_norm sums the float squares in double, takes the mean as a
    /// float, scales by 1/sqrtf(mean + eps); the weight is a separate element-wise multiply.
    /// </summary>
    public static void RmsNorm(float* x, float[] weight, float* y, int n, float eps)
    {
        double sum = 0;
        for (int i = 0; i < n; i++)
            sum += x[i] * x[i];
        float mean = (float)(sum / n);
        float scale = 1.0f / MathF.Sqrt(mean + eps);
        var ys = new Span<float>(y, n);
        TensorPrimitives.Multiply(new ReadOnlySpan<float>(x, n), scale, ys);
        TensorPrimitives.Multiply(ys, weight.AsSpan(0, n), ys);
    }

    /// <summary>In-place softmax with ggml's order: max, exp(x − max), double sum, multiply by 1/sum.</summary>
    public static void Softmax(float* x, int n)
    {
        float max = float.NegativeInfinity;
        for (int i = 0; i < n; i++)
            if (x[i] > max) max = x[i];
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            float e = MathF.Exp(x[i] - max);
            x[i] = e;
            sum += e;
        }
        float inv = (float)(1.0 / sum);
        for (int i = 0; i < n; i++)
            x[i] *= inv;
    }

    /// <summary>m = silu(gate) ⊙ up, silu(z) = z / (1 + e^−z) (ggml_swiglu).</summary>
    public static void SwiGlu(float* gate, float* up, float* m, int n)
    {
        for (int i = 0; i < n; i++)
        {
            float g = gate[i];
            m[i] = g / (1.0f + MathF.Exp(-g)) * up[i];
        }
    }

    public static void Add(float* x, float* y, int n) =>
        TensorPrimitives.Add(new ReadOnlySpan<float>(x, n), new ReadOnlySpan<float>(y, n), new Span<float>(x, n));

    public static void AddBias(float* x, float[] bias, int n) =>
        TensorPrimitives.Add(new ReadOnlySpan<float>(x, n), bias.AsSpan(0, n), new Span<float>(x, n));
}
