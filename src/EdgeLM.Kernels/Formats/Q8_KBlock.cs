using System.Runtime.InteropServices;

namespace EdgeLM.Kernels.Formats;

/// <summary>
/// block_q8_K (292 bytes, 256 values): float d; int8 qs[256]; int16 bsums[16] (sums of 16 qs each,
/// for the k-quant dot kernels). y = d·qs. The activation type paired with Q2_K..Q6_K.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public readonly struct Q8_KBlock
{
    public const int BlockSize = 256;
    public const int ByteSize = 292;

    public readonly float D;
    public readonly SBytes256 Qs;
    public readonly Int16s16 BSums;

    public Q8_KBlock(float d, ReadOnlySpan<sbyte> qs, ReadOnlySpan<short> bsums)
    {
        D = d;
        qs.CopyTo(Qs);
        bsums.CopyTo(BSums);
    }

    public static void Dequantize(ReadOnlySpan<Q8_KBlock> blocks, Span<float> dst)
    {
        BlockChecks.Elements("Q8_K", BlockSize, blocks.Length, dst.Length);
        for (int i = 0; i < blocks.Length; i++)
        {
            ref readonly Q8_KBlock b = ref blocks[i];
            float d = b.D;
            ReadOnlySpan<sbyte> qs = b.Qs;
            Span<float> y = dst.Slice(i * BlockSize, BlockSize);
            for (int j = 0; j < BlockSize; j++)
            {
                y[j] = d * qs[j];
            }
        }
    }

    /// <summary>
    /// quantize_row_q8_K_ref: iscale = −127/max (max = the value of largest magnitude),
    /// q = min(127, nearest_int(iscale·x)), d = 1/iscale. An all-zero block gets d = 0, qs = 0 and
    /// (the reference leaves them unwritten) bsums = 0.
    /// </summary>
    public static void Quantize(ReadOnlySpan<float> src, Span<Q8_KBlock> blocks)
    {
        BlockChecks.Elements("Q8_K", BlockSize, blocks.Length, src.Length);
        Span<sbyte> qs = stackalloc sbyte[BlockSize];
        Span<short> bsums = stackalloc short[16];
        for (int i = 0; i < blocks.Length; i++)
        {
            ReadOnlySpan<float> x = src.Slice(i * BlockSize, BlockSize);
            float max = 0;
            float amax = 0;
            for (int j = 0; j < BlockSize; j++)
            {
                float ax = MathF.Abs(x[j]);
                if (ax > amax)
                {
                    amax = ax;
                    max = x[j];
                }
            }
            if (amax == 0)
            {
                blocks[i] = default;
                continue;
            }
            float iscale = -127.0f / max;
            for (int j = 0; j < BlockSize; j++)
            {
                qs[j] = (sbyte)Math.Min(127, CFloat.NearestInt(iscale * x[j]));
            }
            for (int j = 0; j < 16; j++)
            {
                int sum = 0;
                for (int ii = 0; ii < 16; ii++)
                {
                    sum += qs[16 * j + ii];
                }
                bsums[j] = (short)sum;
            }
            blocks[i] = new Q8_KBlock(1 / iscale, qs, bsums);
        }
    }
}
