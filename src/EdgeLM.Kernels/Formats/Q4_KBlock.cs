using System.Runtime.InteropServices;

namespace EdgeLM.Kernels.Formats;

/// <summary>
/// block_q4_K (144 bytes, 256 values in 8 sub-blocks of 32): half d; half dmin; uint8 scales[12]
/// (see <see cref="KScales"/>); uint8 qs[128]. Sub-block sb takes the low nibbles of qs[32(sb/2)..]
/// when even, the high nibbles when odd; y = (d·sc)·nib − dmin·m.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public readonly struct Q4_KBlock
{
    public const int BlockSize = 256;
    public const int ByteSize = 144;

    public readonly ushort D;
    public readonly ushort DMin;
    public readonly Bytes12 Scales;
    public readonly Bytes128 Qs;

    public Q4_KBlock(ushort d, ushort dmin, ReadOnlySpan<byte> scales, ReadOnlySpan<byte> qs)
    {
        D = d;
        DMin = dmin;
        scales.CopyTo(Scales);
        qs.CopyTo(Qs);
    }

    public static void Dequantize(ReadOnlySpan<Q4_KBlock> blocks, Span<float> dst)
    {
        BlockChecks.Elements("Q4_K", BlockSize, blocks.Length, dst.Length);
        for (int i = 0; i < blocks.Length; i++)
        {
            ref readonly Q4_KBlock b = ref blocks[i];
            float d = Fp16.HalfToFloat(b.D);
            float dmin = Fp16.HalfToFloat(b.DMin);
            ReadOnlySpan<byte> scales = b.Scales;
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
                ReadOnlySpan<byte> q = qs.Slice(32 * c, 32);
                Span<float> y0 = y.Slice(64 * c, 32);
                Span<float> y1 = y.Slice(64 * c + 32, 32);
                for (int l = 0; l < 32; l++)
                {
                    y0[l] = d0 * (q[l] & 15) - min0;
                    y1[l] = d1 * (q[l] >> 4) - min1;
                }
            }
        }
    }

    /// <summary>
    /// quantize_row_q4_K_ref: per sub-block make_qkx2_quants(nmax 15, weights av_x + |x|, rmin −1,
    /// rdelta 0.1, 20 steps, squared error), 6-bit scales/mins against max/63, then every value
    /// re-rounded against the stored scales.
    /// </summary>
    public static void Quantize(ReadOnlySpan<float> src, Span<Q4_KBlock> blocks)
    {
        BlockChecks.Elements("Q4_K", BlockSize, blocks.Length, src.Length);
        Span<byte> L = stackalloc byte[BlockSize];
        Span<byte> laux = stackalloc byte[32];
        Span<float> weights = stackalloc float[32];
        Span<float> mins = stackalloc float[8];
        Span<float> scales = stackalloc float[8];
        Span<byte> packedScales = stackalloc byte[12];
        Span<byte> qs = stackalloc byte[128];
        for (int i = 0; i < blocks.Length; i++)
        {
            ReadOnlySpan<float> x = src.Slice(i * BlockSize, BlockSize);
            SearchSubBlocks(x, 15, -1.0f, 20, L, laux, weights, scales, mins, out float maxScale, out float maxMin);

            float invScale = maxScale > 0 ? 63.0f / maxScale : 0.0f;
            float invMin = maxMin > 0 ? 63.0f / maxMin : 0.0f;
            KScales.Pack(invScale, invMin, scales, mins, packedScales);
            ushort dHalf = Fp16.FloatToHalf(maxScale / 63.0f);
            ushort dminHalf = Fp16.FloatToHalf(maxMin / 63.0f);

            RequantizeSubBlocks(x, 15, dHalf, dminHalf, packedScales, L);

            for (int c = 0; c < 4; c++)
            {
                for (int l = 0; l < 32; l++)
                {
                    qs[32 * c + l] = (byte)(L[64 * c + l] | (L[64 * c + l + 32] << 4));
                }
            }
            blocks[i] = new Q4_KBlock(dHalf, dminHalf, packedScales, qs);
        }
    }

    /// <summary>
    /// The per-sub-block search shared with Q5_K: weights av_x + |x| with av_x the RMS of the 32
    /// values; returns the largest scale and min.
    /// </summary>
    internal static void SearchSubBlocks(ReadOnlySpan<float> x, int nmax, float rmin, int nstep, Span<byte> L, Span<byte> laux,
        Span<float> weights, Span<float> scales, Span<float> mins, out float maxScale, out float maxMin)
    {
        maxScale = 0;
        maxMin = 0;
        for (int j = 0; j < 8; j++)
        {
            ReadOnlySpan<float> xs = x.Slice(32 * j, 32);
            float sumX2 = 0;
            for (int l = 0; l < 32; l++)
            {
                sumX2 += xs[l] * xs[l];
            }
            float avX = MathF.Sqrt(sumX2 / 32);
            for (int l = 0; l < 32; l++)
            {
                weights[l] = avX + MathF.Abs(xs[l]);
            }
            scales[j] = ScaleSearch.MakeQkx2(32, nmax, xs, weights, L.Slice(32 * j, 32), out mins[j], laux, rmin, 0.1f, nstep, false);
            if (scales[j] > maxScale)
            {
                maxScale = scales[j];
            }
            if (mins[j] > maxMin)
            {
                maxMin = mins[j];
            }
        }
    }

    /// <summary>Re-rounds every value to 0..nmax against the stored (rounded) scales; sub-blocks with scale 0 keep L.</summary>
    internal static void RequantizeSubBlocks(ReadOnlySpan<float> x, int nmax, ushort dHalf, ushort dminHalf, ReadOnlySpan<byte> packedScales, Span<byte> L)
    {
        float dStored = Fp16.HalfToFloat(dHalf);
        float dminStored = Fp16.HalfToFloat(dminHalf);
        for (int j = 0; j < 8; j++)
        {
            ScaleSearch.ScaleMinK4(j, packedScales, out byte sc, out byte m);
            float d = dStored * sc;
            if (d == 0)
            {
                continue;
            }
            float dm = dminStored * m;
            for (int ii = 0; ii < 32; ii++)
            {
                int l = CFloat.NearestInt((x[32 * j + ii] + dm) / d);
                L[32 * j + ii] = (byte)Math.Max(0, Math.Min(nmax, l));
            }
        }
    }
}
