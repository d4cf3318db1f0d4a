using System.Runtime.InteropServices;

namespace EdgeLM.Kernels.Formats;

/// <summary>
/// block_q6_K (210 bytes, 256 values in 16 sub-blocks of 16): uint8 ql[128] (low 4 bits);
/// uint8 qh[64] (high 2 bits); int8 scales[16]; half d. Element e: h = e/128, k = (e%128)/32,
/// l = e%32; low = k 0: ql[64h+l] &amp; 15, 1: ql[64h+32+l] &amp; 15, 2: ql[64h+l] &gt;&gt; 4, 3: ql[64h+32+l] &gt;&gt; 4;
/// high = (qh[32h+l] &gt;&gt; 2k) &amp; 3; y = (d·scales[e/16])·((low | high &lt;&lt; 4) − 32).
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public readonly struct Q6_KBlock
{
    public const int BlockSize = 256;
    public const int ByteSize = 210;

    public readonly Bytes128 Ql;
    public readonly Bytes64 Qh;
    public readonly SBytes16 Scales;
    public readonly ushort D;

    public Q6_KBlock(ReadOnlySpan<byte> ql, ReadOnlySpan<byte> qh, ReadOnlySpan<sbyte> scales, ushort d)
    {
        ql.CopyTo(Ql);
        qh.CopyTo(Qh);
        scales.CopyTo(Scales);
        D = d;
    }

    public static void Dequantize(ReadOnlySpan<Q6_KBlock> blocks, Span<float> dst)
    {
        BlockChecks.Elements("Q6_K", BlockSize, blocks.Length, dst.Length);
        for (int i = 0; i < blocks.Length; i++)
        {
            ref readonly Q6_KBlock b = ref blocks[i];
            float d = Fp16.HalfToFloat(b.D);
            ReadOnlySpan<byte> ql = b.Ql;
            ReadOnlySpan<byte> qh = b.Qh;
            ReadOnlySpan<sbyte> scales = b.Scales;
            Span<float> y = dst.Slice(i * BlockSize, BlockSize);
            for (int h = 0; h < 2; h++)
            {
                ReadOnlySpan<byte> lo = ql.Slice(64 * h, 64);
                ReadOnlySpan<byte> hi = qh.Slice(32 * h, 32);
                Span<float> yh = y.Slice(128 * h, 128);
                int s = 8 * h;
                for (int l = 0; l < 32; l++)
                {
                    int half = l >> 4;
                    int q1 = ((lo[l] & 15) | ((hi[l] & 3) << 4)) - 32;
                    int q2 = ((lo[l + 32] & 15) | (((hi[l] >> 2) & 3) << 4)) - 32;
                    int q3 = ((lo[l] >> 4) | (((hi[l] >> 4) & 3) << 4)) - 32;
                    int q4 = ((lo[l + 32] >> 4) | (((hi[l] >> 6) & 3) << 4)) - 32;
                    yh[l] = d * scales[s + half] * q1;
                    yh[l + 32] = d * scales[s + half + 2] * q2;
                    yh[l + 64] = d * scales[s + half + 4] * q3;
                    yh[l + 96] = d * scales[s + half + 6] * q4;
                }
            }
        }
    }

    /// <summary>
    /// quantize_row_q6_K_ref: per sub-block make_qx_quants(nmax 32, weights x²), int8 scales against
    /// d = max_scale/−128, then every value re-rounded to −32..31 against the stored scales.
    /// </summary>
    public static void Quantize(ReadOnlySpan<float> src, Span<Q6_KBlock> blocks) => Quantize(src, blocks, default);

    /// <summary>
    /// quantize_row_q6_K_impl with an importance row (one weight per value): the importance replaces
    /// the x² weights of the sub-block search; everything else is the reference algorithm. An empty
    /// span gives the reference quantizer.
    /// </summary>
    public static void QuantizeWeighted(ReadOnlySpan<float> row, Span<Q6_KBlock> blocks, ReadOnlySpan<float> importance)
    {
        BlockChecks.Elements("Q6_K importance", BlockSize, blocks.Length, importance.Length);
        Quantize(row, blocks, importance);
    }

    private static void Quantize(ReadOnlySpan<float> src, Span<Q6_KBlock> blocks, ReadOnlySpan<float> importance)
    {
        BlockChecks.Elements("Q6_K", BlockSize, blocks.Length, src.Length);
        Span<sbyte> L = stackalloc sbyte[BlockSize];
        Span<float> scales = stackalloc float[16];
        Span<sbyte> packedScales = stackalloc sbyte[16];
        Span<byte> ql = stackalloc byte[128];
        Span<byte> qh = stackalloc byte[64];
        for (int i = 0; i < blocks.Length; i++)
        {
            ReadOnlySpan<float> x = src.Slice(i * BlockSize, BlockSize);
            float maxScale = 0;
            float maxAbsScale = 0;
            for (int ib = 0; ib < 16; ib++)
            {
                float scale = ScaleSearch.MakeQx(16, 32, x.Slice(16 * ib, 16), L.Slice(16 * ib, 16), 1,
                    importance.IsEmpty ? default : importance.Slice(BlockSize * i + 16 * ib, 16));
                scales[ib] = scale;
                float absScale = MathF.Abs(scale);
                if (absScale > maxAbsScale)
                {
                    maxAbsScale = absScale;
                    maxScale = scale;
                }
            }
            if (maxAbsScale < ScaleSearch.GroupMaxEps)
            {
                // the reference zeroes the whole block, d = +0
                blocks[i] = default;
                continue;
            }

            float iscale = -128.0f / maxScale;
            ushort dHalf = Fp16.FloatToHalf(1 / iscale);
            for (int ib = 0; ib < 16; ib++)
            {
                packedScales[ib] = (sbyte)Math.Min(127, CFloat.NearestInt(iscale * scales[ib]));
            }
            Requantize(x, dHalf, packedScales, L);
            PackQuants(L, ql, qh);
            blocks[i] = new Q6_KBlock(ql, qh, packedScales, dHalf);
        }
    }

    /// <summary>Re-rounds every value to −32..31 (stored +32) against the int8 scales; sub-blocks with scale 0 keep L.</summary>
    internal static void Requantize(ReadOnlySpan<float> x, ushort dHalf, ReadOnlySpan<sbyte> packedScales, Span<sbyte> L)
    {
        float dStored = Fp16.HalfToFloat(dHalf);
        for (int j = 0; j < 16; j++)
        {
            float d = dStored * packedScales[j];
            if (d == 0)
            {
                continue;
            }
            for (int ii = 0; ii < 16; ii++)
            {
                int l = CFloat.NearestInt(x[16 * j + ii] / d);
                L[16 * j + ii] = (sbyte)(Math.Max(-32, Math.Min(31, l)) + 32);
            }
        }
    }

    /// <summary>Splits L (0..63) into ql nibbles and qh 2-bit pairs in Q6_K's element order.</summary>
    internal static void PackQuants(ReadOnlySpan<sbyte> L, Span<byte> ql, Span<byte> qh)
    {
        for (int j = 0, h = 0; j < BlockSize; j += 128, h++)
        {
            Span<byte> lo = ql.Slice(64 * h, 64);
            Span<byte> hi = qh.Slice(32 * h, 32);
            for (int l = 0; l < 32; l++)
            {
                int q1 = L[j + l] & 0xF;
                int q2 = L[j + l + 32] & 0xF;
                int q3 = L[j + l + 64] & 0xF;
                int q4 = L[j + l + 96] & 0xF;
                lo[l] = (byte)(q1 | (q3 << 4));
                lo[l + 32] = (byte)(q2 | (q4 << 4));
                hi[l] = (byte)((L[j + l] >> 4) | ((L[j + l + 32] >> 4) << 2) | ((L[j + l + 64] >> 4) << 4) | ((L[j + l + 96] >> 4) << 6));
            }
        }
    }
}
