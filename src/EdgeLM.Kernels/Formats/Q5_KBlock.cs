using System.Runtime.InteropServices;

namespace EdgeLM.Kernels.Formats;

/// <summary>
/// block_q5_K (176 bytes, 256 values in 8 sub-blocks of 32): half d; half dmin; uint8 scales[12];
/// uint8 qh[32]; uint8 qs[128]. As Q4_K plus a fifth bit: q = nib + 16·((qh[l] &gt;&gt; sb) &amp; 1);
/// y = (d·sc)·q − dmin·m.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public readonly struct Q5_KBlock
{
    public const int BlockSize = 256;
    public const int ByteSize = 176;

    public readonly ushort D;
    public readonly ushort DMin;
    public readonly Bytes12 Scales;
    public readonly Bytes32 Qh;
    public readonly Bytes128 Qs;

    public Q5_KBlock(ushort d, ushort dmin, ReadOnlySpan<byte> scales, ReadOnlySpan<byte> qh, ReadOnlySpan<byte> qs)
    {
        D = d;
        DMin = dmin;
        scales.CopyTo(Scales);
        qh.CopyTo(Qh);
        qs.CopyTo(Qs);
    }

    public static void Dequantize(ReadOnlySpan<Q5_KBlock> blocks, Span<float> dst)
    {
        BlockChecks.Elements("Q5_K", BlockSize, blocks.Length, dst.Length);
        for (int i = 0; i < blocks.Length; i++)
        {
            ref readonly Q5_KBlock b = ref blocks[i];
            float d = Fp16.HalfToFloat(b.D);
            float dmin = Fp16.HalfToFloat(b.DMin);
            ReadOnlySpan<byte> scales = b.Scales;
            ReadOnlySpan<byte> qh = b.Qh;
            ReadOnlySpan<byte> qs = b.Qs;
            Span<float> y = dst.Slice(i * BlockSize, BlockSize);
            for (int c = 0; c < 4; c++)
            {
                ScaleSearch.ScaleMinK4(2 * c, scales, out byte sc0, out byte m0);
                ScaleSearch.ScaleMinK4(2 * c + 1, scales, out byte sc1, out byte m1);
                float d0 = d * sc0;
                float min0 = dmin * m0;
                float d1 = d * sc1;
                float min1 = dmin * m1;
                int bit0 = 2 * c;
                int bit1 = 2 * c + 1;
                ReadOnlySpan<byte> q = qs.Slice(32 * c, 32);
                Span<float> y0 = y.Slice(64 * c, 32);
                Span<float> y1 = y.Slice(64 * c + 32, 32);
                for (int l = 0; l < 32; l++)
                {
                    y0[l] = d0 * ((q[l] & 15) + (((qh[l] >> bit0) & 1) << 4)) - min0;
                    y1[l] = d1 * ((q[l] >> 4) + (((qh[l] >> bit1) & 1) << 4)) - min1;
                }
            }
        }
    }

    /// <summary>
    /// quantize_row_q5_K_ref: as Q4_K with nmax 31, rmin −0.5 and 15 steps; values above 15 set
    /// their bit in qh.
    /// </summary>
    public static void Quantize(ReadOnlySpan<float> src, Span<Q5_KBlock> blocks)
    {
        BlockChecks.Elements("Q5_K", BlockSize, blocks.Length, src.Length);
        Span<byte> L = stackalloc byte[BlockSize];
        Span<byte> laux = stackalloc byte[32];
        Span<float> weights = stackalloc float[32];
        Span<float> mins = stackalloc float[8];
        Span<float> scales = stackalloc float[8];
        Span<byte> packedScales = stackalloc byte[12];
        Span<byte> qh = stackalloc byte[32];
        Span<byte> qs = stackalloc byte[128];
        for (int i = 0; i < blocks.Length; i++)
        {
            ReadOnlySpan<float> x = src.Slice(i * BlockSize, BlockSize);
            Q4_KBlock.SearchSubBlocks(x, 31, -0.5f, 15, L, laux, weights, scales, mins, out float maxScale, out float maxMin);

            float invScale = maxScale > 0 ? 63.0f / maxScale : 0.0f;
            float invMin = maxMin > 0 ? 63.0f / maxMin : 0.0f;
            KScales.Pack(invScale, invMin, scales, mins, packedScales);
            ushort dHalf = Fp16.FloatToHalf(maxScale / 63.0f);
            ushort dminHalf = Fp16.FloatToHalf(maxMin / 63.0f);

            Q4_KBlock.RequantizeSubBlocks(x, 31, dHalf, dminHalf, packedScales, L);
            PackQuants(L, qh, qs);
            blocks[i] = new Q5_KBlock(dHalf, dminHalf, packedScales, qh, qs);
        }
    }

    /// <summary>Splits L (0..31) into nibbles (pairs of sub-blocks share qs bytes) and the qh bit of sub-block sb.</summary>
    internal static void PackQuants(ReadOnlySpan<byte> L, Span<byte> qh, Span<byte> qs)
    {
        qh.Clear();
        byte m1 = 1;
        byte m2 = 2;
        for (int n = 0; n < BlockSize; n += 64)
        {
            for (int j = 0; j < 32; j++)
            {
                int l1 = L[n + j];
                if (l1 > 15)
                {
                    l1 -= 16;
                    qh[j] |= m1;
                }
                int l2 = L[n + j + 32];
                if (l2 > 15)
                {
                    l2 -= 16;
                    qh[j] |= m2;
                }
                qs[n / 2 + j] = (byte)(l1 | (l2 << 4));
            }
            m1 <<= 2;
            m2 <<= 2;
        }
    }
}
