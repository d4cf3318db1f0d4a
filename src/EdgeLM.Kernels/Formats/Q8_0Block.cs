using System.Runtime.InteropServices;

namespace EdgeLM.Kernels.Formats;

/// <summary>block_q8_0 (34 bytes, 32 values): half d; int8 qs[32]; y = qs·d.</summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public readonly struct Q8_0Block
{
    public const int BlockSize = 32;
    public const int ByteSize = 34;

    public readonly ushort D;
    public readonly SBytes32 Qs;

    public Q8_0Block(ushort d, ReadOnlySpan<sbyte> qs)
    {
        D = d;
        qs.CopyTo(Qs);
    }

    public static void Dequantize(ReadOnlySpan<Q8_0Block> blocks, Span<float> dst)
    {
        BlockChecks.Elements("Q8_0", BlockSize, blocks.Length, dst.Length);
        for (int i = 0; i < blocks.Length; i++)
        {
            ref readonly Q8_0Block b = ref blocks[i];
            float d = Fp16.HalfToFloat(b.D);
            ReadOnlySpan<sbyte> qs = b.Qs;
            Span<float> y = dst.Slice(i * BlockSize, BlockSize);
            for (int j = 0; j < BlockSize; j++)
            {
                y[j] = qs[j] * d;
            }
        }
    }

    /// <summary>
    /// quantize_row_q8_0_ref: d = amax/127, q = roundf(x·(1/d)) (ties away from zero). This is the
    /// model-file quantizer; ggml's CPU activation quantizer rounds ties to even instead.
    /// </summary>
    public static void Quantize(ReadOnlySpan<float> src, Span<Q8_0Block> blocks)
    {
        BlockChecks.Elements("Q8_0", BlockSize, blocks.Length, src.Length);
        Span<sbyte> qs = stackalloc sbyte[BlockSize];
        for (int i = 0; i < blocks.Length; i++)
        {
            ReadOnlySpan<float> x = src.Slice(i * BlockSize, BlockSize);
            float d = Q8_1Block.ScaleOf(x);
            float id = d != 0 ? 1.0f / d : 0.0f;
            for (int j = 0; j < BlockSize; j++)
            {
                qs[j] = (sbyte)CFloat.TruncateX86(CFloat.RoundF(x[j] * id));
            }
            blocks[i] = new Q8_0Block(Fp16.FloatToHalf(d), qs);
        }
    }
}
