using System.Runtime.InteropServices;

namespace EdgeLM.Kernels.Formats;

/// <summary>
/// block_q4_0 (18 bytes, 32 values): half d; uint8 qs[16]. Element e is the low nibble of qs[e] for
/// e &lt; 16 and the high nibble of qs[e−16] otherwise; y = (nib − 8)·d.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public readonly struct Q4_0Block
{
    public const int BlockSize = 32;
    public const int ByteSize = 18;

    public readonly ushort D;
    public readonly Bytes16 Qs;

    public Q4_0Block(ushort d, ReadOnlySpan<byte> qs)
    {
        D = d;
        qs.CopyTo(Qs);
    }

    public static void Dequantize(ReadOnlySpan<Q4_0Block> blocks, Span<float> dst)
    {
        BlockChecks.Elements("Q4_0", BlockSize, blocks.Length, dst.Length);
        for (int i = 0; i < blocks.Length; i++)
        {
            ref readonly Q4_0Block b = ref blocks[i];
            float d = Fp16.HalfToFloat(b.D);
            ReadOnlySpan<byte> qs = b.Qs;
            Span<float> y = dst.Slice(i * BlockSize, BlockSize);
            for (int j = 0; j < 16; j++)
            {
                y[j] = ((qs[j] & 15) - 8) * d;
                y[j + 16] = ((qs[j] >> 4) - 8) * d;
            }
        }
    }

    /// <summary>quantize_row_q4_0_ref: d = max/−8 (max = the value of largest magnitude), q = min(15, (int8)(x/d + 8.5)).</summary>
    public static void Quantize(ReadOnlySpan<float> src, Span<Q4_0Block> blocks)
    {
        BlockChecks.Elements("Q4_0", BlockSize, blocks.Length, src.Length);
        Span<byte> qs = stackalloc byte[16];
        for (int i = 0; i < blocks.Length; i++)
        {
            ReadOnlySpan<float> x = src.Slice(i * BlockSize, BlockSize);
            float amax = 0.0f;
            float max = 0.0f;
            for (int j = 0; j < BlockSize; j++)
            {
                if (amax < MathF.Abs(x[j]))
                {
                    amax = MathF.Abs(x[j]);
                    max = x[j];
                }
            }
            float d = max / -8;
            float id = d != 0 ? 1.0f / d : 0.0f;
            for (int j = 0; j < 16; j++)
            {
                byte xi0 = (byte)Math.Min(15, (int)(sbyte)CFloat.TruncateX86(x[j] * id + 8.5f));
                byte xi1 = (byte)Math.Min(15, (int)(sbyte)CFloat.TruncateX86(x[j + 16] * id + 8.5f));
                qs[j] = (byte)(xi0 | (xi1 << 4));
            }
            blocks[i] = new Q4_0Block(Fp16.FloatToHalf(d), qs);
        }
    }

    /// <summary>
    /// quantize_row_q4_0_impl: importance-weighted quantization of one row (importance has one weight per value of the
    /// row), as llama.cpp does when an imatrix is given. The scale comes from the weighted search make_qx_quants(nmax 8).
    /// </summary>
    public static void QuantizeWeighted(ReadOnlySpan<float> row, Span<Q4_0Block> blocks, ReadOnlySpan<float> importance)
    {
        BlockChecks.Elements("Q4_0", BlockSize, blocks.Length, row.Length);
        BlockChecks.Elements("Q4_0 importance", BlockSize, blocks.Length, importance.Length);
        float sigma2 = ImportanceWeights.RowSigma2(row);
        Span<float> weight = stackalloc float[BlockSize];
        Span<sbyte> L = stackalloc sbyte[BlockSize];
        Span<byte> qs = stackalloc byte[16];
        for (int ib = 0; ib < blocks.Length; ib++)
        {
            ReadOnlySpan<float> xb = row.Slice(ib * BlockSize, BlockSize);
            ImportanceWeights.Fill(sigma2, xb, importance.Slice(ib * BlockSize, BlockSize), weight);
            float d = ScaleSearch.MakeQx(BlockSize, 8, xb, L, 1, weight);
            for (int j = 0; j < 16; j++)
            {
                qs[j] = (byte)((byte)L[j] | ((byte)L[j + 16] << 4));
            }
            blocks[ib] = new Q4_0Block(Fp16.FloatToHalf(d), qs);
        }
    }
}
