using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace EdgeLM.Kernels.Formats;

/// <summary>
/// block_q5_1 (24 bytes, 32 values): half d; half m; uint8 qh[4]; uint8 qs[16]. Bits as Q5_0;
/// y = q·d + m.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public readonly struct Q5_1Block
{
    public const int BlockSize = 32;
    public const int ByteSize = 24;

    public readonly ushort D;
    public readonly ushort M;
    public readonly Bytes4 Qh;
    public readonly Bytes16 Qs;

    public Q5_1Block(ushort d, ushort m, uint qh, ReadOnlySpan<byte> qs)
    {
        D = d;
        M = m;
        BinaryPrimitives.WriteUInt32LittleEndian(Qh, qh);
        qs.CopyTo(Qs);
    }

    public static void Dequantize(ReadOnlySpan<Q5_1Block> blocks, Span<float> dst)
    {
        BlockChecks.Elements("Q5_1", BlockSize, blocks.Length, dst.Length);
        for (int i = 0; i < blocks.Length; i++)
        {
            ref readonly Q5_1Block b = ref blocks[i];
            float d = Fp16.HalfToFloat(b.D);
            float m = Fp16.HalfToFloat(b.M);
            uint qh = BinaryPrimitives.ReadUInt32LittleEndian(b.Qh);
            ReadOnlySpan<byte> qs = b.Qs;
            Span<float> y = dst.Slice(i * BlockSize, BlockSize);
            for (int j = 0; j < 16; j++)
            {
                int q0 = (qs[j] & 15) | (int)(((qh >> j) & 1) << 4);
                int q1 = (qs[j] >> 4) | (int)(((qh >> (j + 16)) & 1) << 4);
                y[j] = q0 * d + m;
                y[j + 16] = q1 * d + m;
            }
        }
    }

    /// <summary>quantize_row_q5_1_ref: d = (max−min)/31, m = min, q = (uint8)((x−min)/d + 0.5).</summary>
    public static void Quantize(ReadOnlySpan<float> src, Span<Q5_1Block> blocks)
    {
        BlockChecks.Elements("Q5_1", BlockSize, blocks.Length, src.Length);
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
            float d = (max - min) / 31;
            float id = d != 0 ? 1.0f / d : 0.0f;
            uint qh = 0;
            for (int j = 0; j < 16; j++)
            {
                byte xi0 = (byte)CFloat.TruncateX86((x[j] - min) * id + 0.5f);
                byte xi1 = (byte)CFloat.TruncateX86((x[j + 16] - min) * id + 0.5f);
                qs[j] = (byte)((xi0 & 0x0F) | ((xi1 & 0x0F) << 4));
                qh |= (uint)((xi0 & 0x10) >> 4) << j;
                qh |= (uint)((xi1 & 0x10) >> 4) << (j + 16);
            }
            blocks[i] = new Q5_1Block(Fp16.FloatToHalf(d), Fp16.FloatToHalf(min), qh, qs);
        }
    }

    /// <summary>
    /// quantize_row_q5_1_impl: importance-weighted quantization of one row (importance has one weight per value of the
    /// row), as llama.cpp does when an imatrix is given. Scale and min come from make_qkx3_quants(nmax 31, rmin −0.9, rdelta 0.05, 36 steps).
    /// </summary>
    public static void QuantizeWeighted(ReadOnlySpan<float> row, Span<Q5_1Block> blocks, ReadOnlySpan<float> importance)
    {
        BlockChecks.Elements("Q5_1", BlockSize, blocks.Length, row.Length);
        BlockChecks.Elements("Q5_1 importance", BlockSize, blocks.Length, importance.Length);
        float sigma2 = ImportanceWeights.RowSigma2(row);
        Span<float> weight = stackalloc float[BlockSize];
        Span<byte> L = stackalloc byte[BlockSize];
        Span<byte> laux = stackalloc byte[BlockSize];
        Span<byte> qs = stackalloc byte[16];
        for (int ib = 0; ib < blocks.Length; ib++)
        {
            ReadOnlySpan<float> xb = row.Slice(ib * BlockSize, BlockSize);
            ImportanceWeights.Fill(sigma2, xb, importance.Slice(ib * BlockSize, BlockSize), weight);
            float d = ScaleSearch.MakeQkx3(BlockSize, 31, xb, weight, L, out float min, laux, -0.9f, 0.05f, 36, false);
            uint qh = 0;
            for (int j = 0; j < 16; j++)
            {
                int xi0 = L[j];
                int xi1 = L[j + 16];
                qs[j] = (byte)((xi0 & 0x0F) | ((xi1 & 0x0F) << 4));
                qh |= (uint)((xi0 & 0x10) >> 4) << j;
                qh |= (uint)((xi1 & 0x10) >> 4) << (j + 16);
            }
            blocks[ib] = new Q5_1Block(Fp16.FloatToHalf(d), Fp16.FloatToHalf(-min), qh, qs);
        }
    }
}
