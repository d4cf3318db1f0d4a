using System.Runtime.InteropServices;

namespace EdgeLM.Kernels.Formats;

/// <summary>
/// block_q2_K (84 bytes, 256 values in 16 sub-blocks of 16): uint8 scales[16] (low nibble scale, high
/// nibble min); uint8 qs[64]; half d; half dmin. Element e: h = e/128, j = (e%128)/32, l = e%32,
/// q = (qs[32h+l] &gt;&gt; 2j) &amp; 3; y = (d·(sc &amp; 15))·q − dmin·(sc &gt;&gt; 4).
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public readonly struct Q2_KBlock
{
    public const int BlockSize = 256;
    public const int ByteSize = 84;

    public readonly Bytes16 Scales;
    public readonly Bytes64 Qs;
    public readonly ushort D;
    public readonly ushort DMin;

    public Q2_KBlock(ReadOnlySpan<byte> scales, ReadOnlySpan<byte> qs, ushort d, ushort dmin)
    {
        scales.CopyTo(Scales);
        qs.CopyTo(Qs);
        D = d;
        DMin = dmin;
    }

    public static void Dequantize(ReadOnlySpan<Q2_KBlock> blocks, Span<float> dst)
    {
        BlockChecks.Elements("Q2_K", BlockSize, blocks.Length, dst.Length);
        for (int i = 0; i < blocks.Length; i++)
        {
            ref readonly Q2_KBlock b = ref blocks[i];
            float d = Fp16.HalfToFloat(b.D);
            float dmin = Fp16.HalfToFloat(b.DMin);
            ReadOnlySpan<byte> scales = b.Scales;
            ReadOnlySpan<byte> qs = b.Qs;
            Span<float> y = dst.Slice(i * BlockSize, BlockSize);
            for (int s = 0; s < 16; s++)
            {
                byte sc = scales[s];
                float dl = d * (sc & 15);
                float ml = dmin * (sc >> 4);
                int h = s >> 3;
                int shift = 2 * ((s & 7) >> 1);
                int l0 = (s & 1) * 16;
                ReadOnlySpan<byte> q = qs.Slice(32 * h + l0, 16);
                Span<float> ys = y.Slice(16 * s, 16);
                for (int l = 0; l < 16; l++)
                {
                    ys[l] = dl * ((q[l] >> shift) & 3) - ml;
                }
            }
        }
    }

    /// <summary>
    /// quantize_row_q2_K_ref: per sub-block make_qkx2_quants(nmax 3, weights |x|, rmin −0.5, rdelta 0.1,
    /// 15 steps, mean absolute error), 4-bit scales and mins against d = max_scale/15 and
    /// dmin = max_min/15, then every value re-rounded against the stored scales.
    /// </summary>
    public static void Quantize(ReadOnlySpan<float> src, Span<Q2_KBlock> blocks)
    {
        BlockChecks.Elements("Q2_K", BlockSize, blocks.Length, src.Length);
        Span<byte> L = stackalloc byte[BlockSize];
        Span<byte> laux = stackalloc byte[16];
        Span<float> weights = stackalloc float[16];
        Span<float> mins = stackalloc float[16];
        Span<float> scales = stackalloc float[16];
        Span<byte> packedScales = stackalloc byte[16];
        Span<byte> qs = stackalloc byte[64];
        const float q4scale = 15.0f;
        for (int i = 0; i < blocks.Length; i++)
        {
            ReadOnlySpan<float> x = src.Slice(i * BlockSize, BlockSize);
            float maxScale = 0;
            float maxMin = 0;
            for (int j = 0; j < 16; j++)
            {
                ReadOnlySpan<float> xs = x.Slice(16 * j, 16);
                for (int l = 0; l < 16; l++)
                {
                    weights[l] = MathF.Abs(xs[l]);
                }
                scales[j] = ScaleSearch.MakeQkx2(16, 3, xs, weights, L.Slice(16 * j, 16), out mins[j], laux, -0.5f, 0.1f, 15, true);
                if (scales[j] > maxScale)
                {
                    maxScale = scales[j];
                }
                if (mins[j] > maxMin)
                {
                    maxMin = mins[j];
                }
            }

            ushort dHalf;
            if (maxScale > 0)
            {
                float iscale = q4scale / maxScale;
                for (int j = 0; j < 16; j++)
                {
                    packedScales[j] = (byte)CFloat.NearestInt(iscale * scales[j]);
                }
                dHalf = Fp16.FloatToHalf(maxScale / q4scale);
            }
            else
            {
                packedScales.Clear();
                dHalf = Fp16.FloatToHalf(0f);
            }
            ushort dminHalf;
            if (maxMin > 0)
            {
                float iscale = q4scale / maxMin;
                for (int j = 0; j < 16; j++)
                {
                    int l = CFloat.NearestInt(iscale * mins[j]);
                    packedScales[j] = (byte)(packedScales[j] | (l << 4));
                }
                dminHalf = Fp16.FloatToHalf(maxMin / q4scale);
            }
            else
            {
                dminHalf = Fp16.FloatToHalf(0f);
            }

            float dStored = Fp16.HalfToFloat(dHalf);
            float dminStored = Fp16.HalfToFloat(dminHalf);
            for (int j = 0; j < 16; j++)
            {
                float d = dStored * (packedScales[j] & 0xF);
                if (d == 0)
                {
                    // the reference keeps the L values of the scale search here
                    continue;
                }
                float dm = dminStored * (packedScales[j] >> 4);
                for (int ii = 0; ii < 16; ii++)
                {
                    int l = CFloat.NearestInt((x[16 * j + ii] + dm) / d);
                    L[16 * j + ii] = (byte)Math.Max(0, Math.Min(3, l));
                }
            }

            for (int j = 0; j < BlockSize; j += 128)
            {
                for (int l = 0; l < 32; l++)
                {
                    qs[j / 4 + l] = (byte)(L[j + l] | (L[j + l + 32] << 2) | (L[j + l + 64] << 4) | (L[j + l + 96] << 6));
                }
            }
            blocks[i] = new Q2_KBlock(packedScales, qs, dHalf, dminHalf);
        }
    }
}
