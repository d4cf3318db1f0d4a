using System.Runtime.InteropServices;

namespace EdgeLM.Kernels.Formats;

/// <summary>
/// block_q4_1 (20 bytes, 32 values): half d; half m; uint8 qs[16]. Nibble order as Q4_0;
/// y = nib·d + m.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public readonly struct Q4_1Block
{
    public const int BlockSize = 32;
    public const int ByteSize = 20;

    public readonly ushort D;
    public readonly ushort M;
    public readonly Bytes16 Qs;

    public Q4_1Block(ushort d, ushort m, ReadOnlySpan<byte> qs)
    {
        D = d;
        M = m;
        qs.CopyTo(Qs);
    }

    public static void Dequantize(ReadOnlySpan<Q4_1Block> blocks, Span<float> dst)
    {
        BlockChecks.Elements("Q4_1", BlockSize, blocks.Length, dst.Length);
        for (int i = 0; i < blocks.Length; i++)
        {
            ref readonly Q4_1Block b = ref blocks[i];
            float d = Fp16.HalfToFloat(b.D);
            float m = Fp16.HalfToFloat(b.M);
            ReadOnlySpan<byte> qs = b.Qs;
            Span<float> y = dst.Slice(i * BlockSize, BlockSize);
            for (int j = 0; j < 16; j++)
            {
                y[j] = (qs[j] & 15) * d + m;
                y[j + 16] = (qs[j] >> 4) * d + m;
            }
        }
    }

    /// <summary>quantize_row_q4_1_ref: d = (max−min)/15, m = min, q = min(15, (int8)((x−min)/d + 0.5)).</summary>
    public static void Quantize(ReadOnlySpan<float> src, Span<Q4_1Block> blocks)
    {
        BlockChecks.Elements("Q4_1", BlockSize, blocks.Length, src.Length);
        Span<byte> qs = stackalloc byte[16];
        for (int i = 0; i < blocks.Length; i++)
        {
            ReadOnlySpan<float> x = src.Slice(i * BlockSize, BlockSize);
            float min = float.MaxValue;
            float max = -float.MaxValue;
            for (int j = 0; j < BlockSize; j++)
            {
                if (x[j] < min)
                {
                    min = x[j];
                }
                if (x[j] > max)
                {
                    max = x[j];
                }
            }
            float d = (max - min) / 15;
            float id = d != 0 ? 1.0f / d : 0.0f;
            for (int j = 0; j < 16; j++)
            {
                byte xi0 = (byte)Math.Min(15, (int)(sbyte)CFloat.TruncateX86((x[j] - min) * id + 0.5f));
                byte xi1 = (byte)Math.Min(15, (int)(sbyte)CFloat.TruncateX86((x[j + 16] - min) * id + 0.5f));
                qs[j] = (byte)(xi0 | (xi1 << 4));
            }
            blocks[i] = new Q4_1Block(Fp16.FloatToHalf(d), Fp16.FloatToHalf(min), qs);
        }
    }

    /// <summary>
    /// quantize_row_q4_1_impl: importance-weighted quantization of one row (importance has one weight per value of the
    /// row), as llama.cpp does when an imatrix is given. Scale and min come from make_qkx3_quants(nmax 15, rmin −0.9, rdelta 0.05, 36 steps).
    /// </summary>
    public static void QuantizeWeighted(ReadOnlySpan<float> row, Span<Q4_1Block> blocks, ReadOnlySpan<float> importance)
    {
        BlockChecks.Elements("Q4_1", BlockSize, blocks.Length, row.Length);
        BlockChecks.Elements("Q4_1 importance", BlockSize, blocks.Length, importance.Length);
        float sigma2 = ImportanceWeights.RowSigma2(row);
        Span<float> weight = stackalloc float[BlockSize];
        Span<byte> L = stackalloc byte[BlockSize];
        Span<byte> laux = stackalloc byte[BlockSize];
        Span<byte> qs = stackalloc byte[16];
        for (int ib = 0; ib < blocks.Length; ib++)
        {
            ReadOnlySpan<float> xb = row.Slice(ib * BlockSize, BlockSize);
            ImportanceWeights.Fill(sigma2, xb, importance.Slice(ib * BlockSize, BlockSize), weight);
            float d = ScaleSearch.MakeQkx3(BlockSize, 15, xb, weight, L, out float min, laux, -0.9f, 0.05f, 36, false);
            for (int j = 0; j < 16; j++)
            {
                qs[j] = (byte)(L[j] | (L[j + 16] << 4));
            }
            blocks[ib] = new Q4_1Block(Fp16.FloatToHalf(d), Fp16.FloatToHalf(-min), qs);
        }
    }
}
