using EdgeLM.Gguf;
using EdgeLM.Kernels.Activations;
using EdgeLM.Kernels.Cpu;
using EdgeLM.Kernels.Dot;

namespace EdgeLM.Kernels.Tests.Dot;

/// <summary>Random weight rows (random bytes with finite half scales) and quantized activation rows.</summary>
internal static class KernelTestData
{
    public static IEnumerable<KernelIsa> SimdVariants => CpuCapabilities.Supported.Where(i => i != KernelIsa.Scalar);

    /// <summary>Offsets of the half-float fields inside one block of each type (block_* layouts in ggml-common.h).</summary>
    private static int[] HalfFields(GgmlType t) => t switch
    {
        GgmlType.Q4_0 or GgmlType.Q5_0 or GgmlType.Q8_0 => [0],
        GgmlType.Q4_1 or GgmlType.Q5_1 or GgmlType.Q4_K or GgmlType.Q5_K => [0, 2],
        GgmlType.Q2_K => [80, 82],
        GgmlType.Q3_K => [108],
        GgmlType.Q6_K => [208],
        _ => [],
    };

    /// <summary>
    /// A weight row of n values: every quant field is random bytes (so every bit pattern occurs), every half
    /// scale a random finite half of magnitude 2^-10..2^1, float types random normals.
    /// </summary>
    public static byte[] WeightRow(GgmlType t, int n, Random rng)
    {
        var info = GgmlTypes.Info(t);
        var row = new byte[info.RowBytes(n)];
        switch (t)
        {
            case GgmlType.F32:
                var f = Normals(n, rng, 1f);
                Buffer.BlockCopy(f, 0, row, 0, row.Length);
                return row;
            case GgmlType.F16:
            case GgmlType.BF16:
                var g = Normals(n, rng, 1f);
                for (int i = 0; i < n; i++)
                    BitConverter.TryWriteBytes(row.AsSpan(2 * i), t == GgmlType.F16 ? HalfBits.FromSingle(g[i]) : HalfBits.BFloat16FromSingle(g[i]));
                return row;
        }
        rng.NextBytes(row);
        for (int b = 0; b < n / info.BlockSize; b++)
            foreach (int off in HalfFields(t))
            {
                float v = MathF.ScaleB(1f + rng.NextSingle(), rng.Next(-10, 2)) * (rng.Next(2) == 0 ? 1 : -1);
                BitConverter.TryWriteBytes(row.AsSpan(b * info.TypeSize + off), HalfBits.FromSingle(v));
            }
        return row;
    }

    public static float[] Normals(int n, Random rng, float scale)
    {
        var a = new float[n];
        for (int i = 0; i < n; i++)
            a[i] = scale * MathF.Sqrt(-2f * MathF.Log(1f - rng.NextSingle())) * MathF.Cos(2f * MathF.PI * rng.NextSingle());
        return a;
    }

    public static byte[] ActivationRow(GgmlType weightType, float[] x)
    {
        var at = ActivationQuantizer.PairedType(weightType);
        var dst = new byte[ActivationQuantizer.QuantizedRowBytes(at, x.Length)];
        ActivationQuantizer.Quantize(at, x, dst, KernelIsa.Scalar);
        return dst;
    }
}
