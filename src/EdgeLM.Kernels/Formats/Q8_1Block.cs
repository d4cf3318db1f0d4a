using System.Runtime.InteropServices;

namespace EdgeLM.Kernels.Formats;

/// <summary>
/// block_q8_1 (36 bytes, 32 values): half d; half s; int8 qs[32]; y = qs·d. s = half(d·Σqs) with d
/// the float scale before rounding; only the Q4_1/Q5_1 dot kernels read it.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public readonly struct Q8_1Block
{
    public const int BlockSize = 32;
    public const int ByteSize = 36;

    public readonly ushort D;
    public readonly ushort S;
    public readonly SBytes32 Qs;

    public Q8_1Block(ushort d, ushort s, ReadOnlySpan<sbyte> qs)
    {
        D = d;
        S = s;
        qs.CopyTo(Qs);
    }

    public static void Dequantize(ReadOnlySpan<Q8_1Block> blocks, Span<float> dst)
    {
        BlockChecks.Elements("Q8_1", BlockSize, blocks.Length, dst.Length);
        for (int i = 0; i < blocks.Length; i++)
        {
            ref readonly Q8_1Block b = ref blocks[i];
            float d = Fp16.HalfToFloat(b.D);
            ReadOnlySpan<sbyte> qs = b.Qs;
            Span<float> y = dst.Slice(i * BlockSize, BlockSize);
            for (int j = 0; j < BlockSize; j++)
            {
                y[j] = qs[j] * d;
            }
        }
    }

    /// <summary>quantize_row_q8_1_ref: as Q8_0's reference (roundf), plus s = half(d·Σq).</summary>
    public static void Quantize(ReadOnlySpan<float> src, Span<Q8_1Block> blocks)
    {
        BlockChecks.Elements("Q8_1", BlockSize, blocks.Length, src.Length);
        Span<sbyte> qs = stackalloc sbyte[BlockSize];
        for (int i = 0; i < blocks.Length; i++)
        {
            ReadOnlySpan<float> x = src.Slice(i * BlockSize, BlockSize);
            float d = ScaleOf(x);
            float id = d != 0 ? 1.0f / d : 0.0f;
            int sum = 0;
            for (int j = 0; j < BlockSize; j++)
            {
                qs[j] = (sbyte)CFloat.TruncateX86(CFloat.RoundF(x[j] * id));
                sum += qs[j];
            }
            blocks[i] = new Q8_1Block(Fp16.FloatToHalf(d), Fp16.FloatToHalf(sum * d), qs);
        }
    }

    /// <summary>The Q8_0/Q8_1 reference scale amax/127, amax taken with C's MAX macro.</summary>
    internal static float ScaleOf(ReadOnlySpan<float> x)
    {
        float amax = 0.0f;
        for (int j = 0; j < x.Length; j++)
        {
            float a = MathF.Abs(x[j]);
            amax = amax > a ? amax : a;
        }
        return amax / 127;
    }
}
