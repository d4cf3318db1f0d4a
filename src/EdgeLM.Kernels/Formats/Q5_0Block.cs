using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace EdgeLM.Kernels.Formats;

/// <summary>
/// block_q5_0 (22 bytes, 32 values): half d; uint8 qh[4]; uint8 qs[16]. Low 4 bits as Q4_0, bit 4 of
/// element e is bit e of qh read as a little-endian uint32; y = (q − 16)·d.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public readonly struct Q5_0Block
{
    public const int BlockSize = 32;
    public const int ByteSize = 22;

    public readonly ushort D;
    public readonly Bytes4 Qh;
    public readonly Bytes16 Qs;

    public Q5_0Block(ushort d, uint qh, ReadOnlySpan<byte> qs)
    {
        D = d;
        BinaryPrimitives.WriteUInt32LittleEndian(Qh, qh);
        qs.CopyTo(Qs);
    }

    public static void Dequantize(ReadOnlySpan<Q5_0Block> blocks, Span<float> dst)
    {
        BlockChecks.Elements("Q5_0", BlockSize, blocks.Length, dst.Length);
        for (int i = 0; i < blocks.Length; i++)
        {
            ref readonly Q5_0Block b = ref blocks[i];
            float d = Fp16.HalfToFloat(b.D);
            uint qh = BinaryPrimitives.ReadUInt32LittleEndian(b.Qh);
            ReadOnlySpan<byte> qs = b.Qs;
            Span<float> y = dst.Slice(i * BlockSize, BlockSize);
            for (int j = 0; j < 16; j++)
            {
                int q0 = (qs[j] & 15) | (int)(((qh >> j) & 1) << 4);
                int q1 = (qs[j] >> 4) | (int)(((qh >> (j + 16)) & 1) << 4);
                y[j] = (q0 - 16) * d;
                y[j + 16] = (q1 - 16) * d;
            }
        }
    }

    /// <summary>quantize_row_q5_0_ref: d = max/−16, q = min(31, (int8)(x/d + 16.5)).</summary>
    public static void Quantize(ReadOnlySpan<float> src, Span<Q5_0Block> blocks)
    {
        BlockChecks.Elements("Q5_0", BlockSize, blocks.Length, src.Length);
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
            float d = max / -16;
            float id = d != 0 ? 1.0f / d : 0.0f;
            uint qh = 0;
            for (int j = 0; j < 16; j++)
            {
                byte xi0 = (byte)Math.Min(31, (int)(sbyte)CFloat.TruncateX86(x[j] * id + 16.5f));
                byte xi1 = (byte)Math.Min(31, (int)(sbyte)CFloat.TruncateX86(x[j + 16] * id + 16.5f));
                qs[j] = (byte)((xi0 & 0x0F) | ((xi1 & 0x0F) << 4));
                qh |= (uint)((xi0 & 0x10) >> 4) << j;
                qh |= (uint)((xi1 & 0x10) >> 4) << (j + 16);
            }
            blocks[i] = new Q5_0Block(Fp16.FloatToHalf(d), qh, qs);
        }
    }

    /// <summary>
    /// quantize_row_q5_0_impl: importance-weighted quantization of one row (importance has one weight per value of the
    /// row), as llama.cpp does when an imatrix is given. The scale comes from the weighted search make_qx_quants(nmax 16).
    /// </summary>
    public static void QuantizeWeighted(ReadOnlySpan<float> row, Span<Q5_0Block> blocks, ReadOnlySpan<float> importance)
    {
        BlockChecks.Elements("Q5_0", BlockSize, blocks.Length, row.Length);
        BlockChecks.Elements("Q5_0 importance", BlockSize, blocks.Length, importance.Length);
        float sigma2 = ImportanceWeights.RowSigma2(row);
        Span<float> weight = stackalloc float[BlockSize];
        Span<sbyte> L = stackalloc sbyte[BlockSize];
        Span<byte> qs = stackalloc byte[16];
        for (int ib = 0; ib < blocks.Length; ib++)
        {
            ReadOnlySpan<float> xb = row.Slice(ib * BlockSize, BlockSize);
            ImportanceWeights.Fill(sigma2, xb, importance.Slice(ib * BlockSize, BlockSize), weight);
            float d = ScaleSearch.MakeQx(BlockSize, 16, xb, L, 1, weight);
            uint qh = 0;
            for (int j = 0; j < 16; j++)
            {
                int xi0 = L[j];
                int xi1 = L[j + 16];
                qs[j] = (byte)((xi0 & 0x0F) | ((xi1 & 0x0F) << 4));
                qh |= (uint)((xi0 & 0x10) >> 4) << j;
                qh |= (uint)((xi1 & 0x10) >> 4) << (j + 16);
            }
            blocks[ib] = new Q5_0Block(Fp16.FloatToHalf(d), qh, qs);
        }
    }
}
