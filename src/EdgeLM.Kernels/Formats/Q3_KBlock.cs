using System.Runtime.InteropServices;

namespace EdgeLM.Kernels.Formats;

/// <summary>
/// block_q3_K (110 bytes, 256 values in 16 sub-blocks of 16): uint8 hmask[32]; uint8 qs[64];
/// uint8 scales[12] (16 six-bit scales, biased by 32); half d. Low 2 bits as Q2_K, high bit
/// (hmask[e%32] &gt;&gt; (e/32)) &amp; 1, q = low − (hb ? 0 : 4); y = (d·sc)·q.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 1)]
public readonly struct Q3_KBlock
{
    public const int BlockSize = 256;
    public const int ByteSize = 110;

    public readonly Bytes32 HMask;
    public readonly Bytes64 Qs;
    public readonly Bytes12 Scales;
    public readonly ushort D;

    public Q3_KBlock(ReadOnlySpan<byte> hmask, ReadOnlySpan<byte> qs, ReadOnlySpan<byte> scales, ushort d)
    {
        hmask.CopyTo(HMask);
        qs.CopyTo(Qs);
        scales.CopyTo(Scales);
        D = d;
    }

    /// <summary>Six-bit scale s (0..15) minus the bias 32: low 4 bits in scales[0..7], high 2 bits in scales[8..11].</summary>
    internal static int Scale(ReadOnlySpan<byte> scales, int s)
    {
        int lo = s < 8 ? scales[s] & 15 : scales[s - 8] >> 4;
        int hi = (scales[8 + (s & 3)] >> (2 * (s >> 2))) & 3;
        return (lo | (hi << 4)) - 32;
    }

    public static void Dequantize(ReadOnlySpan<Q3_KBlock> blocks, Span<float> dst)
    {
        BlockChecks.Elements("Q3_K", BlockSize, blocks.Length, dst.Length);
        for (int i = 0; i < blocks.Length; i++)
        {
            ref readonly Q3_KBlock b = ref blocks[i];
            float d = Fp16.HalfToFloat(b.D);
            ReadOnlySpan<byte> scales = b.Scales;
            ReadOnlySpan<byte> qs = b.Qs;
            ReadOnlySpan<byte> hmask = b.HMask;
            Span<float> y = dst.Slice(i * BlockSize, BlockSize);
            for (int s = 0; s < 16; s++)
            {
                float dl = d * Scale(scales, s);
                int h = s >> 3;
                int j = (s & 7) >> 1;
                int shift = 2 * j;
                int l0 = (s & 1) * 16;
                int bit = 4 * h + j;
                ReadOnlySpan<byte> q = qs.Slice(32 * h + l0, 16);
                ReadOnlySpan<byte> hm = hmask.Slice(l0, 16);
                Span<float> ys = y.Slice(16 * s, 16);
                for (int l = 0; l < 16; l++)
                {
                    int v = ((q[l] >> shift) & 3) - (((hm[l] >> bit) & 1) != 0 ? 0 : 4);
                    ys[l] = dl * v;
                }
            }
        }
    }

    /// <summary>
    /// quantize_row_q3_K_ref: per sub-block make_q3_quants(nmax 4, rmse), 6-bit scales against
    /// d = max_scale/−32, then every value re-rounded to −4..3 against the stored scales.
    /// </summary>
    public static void Quantize(ReadOnlySpan<float> src, Span<Q3_KBlock> blocks)
    {
        BlockChecks.Elements("Q3_K", BlockSize, blocks.Length, src.Length);
        Span<sbyte> L = stackalloc sbyte[BlockSize];
        Span<float> scales = stackalloc float[16];
        Span<byte> packedScales = stackalloc byte[12];
        Span<byte> hmask = stackalloc byte[32];
        Span<byte> qs = stackalloc byte[64];
        for (int i = 0; i < blocks.Length; i++)
        {
            ReadOnlySpan<float> x = src.Slice(i * BlockSize, BlockSize);
            float maxScale = 0;
            float amax = 0;
            for (int j = 0; j < 16; j++)
            {
                scales[j] = ScaleSearch.MakeQ3(16, 4, x.Slice(16 * j, 16), L.Slice(16 * j, 16), true);
                float scale = MathF.Abs(scales[j]);
                if (scale > amax)
                {
                    amax = scale;
                    maxScale = scales[j];
                }
            }

            packedScales.Clear();
            ushort dHalf;
            if (maxScale != 0)
            {
                float iscale = -32.0f / maxScale;
                PackScales(iscale, scales, packedScales);
                dHalf = Fp16.FloatToHalf(1 / iscale);
            }
            else
            {
                dHalf = Fp16.FloatToHalf(0f);
            }

            float dStored = Fp16.HalfToFloat(dHalf);
            for (int j = 0; j < 16; j++)
            {
                float d = dStored * Scale(packedScales, j);
                if (d == 0)
                {
                    continue;
                }
                for (int ii = 0; ii < 16; ii++)
                {
                    int l = CFloat.NearestInt(x[16 * j + ii] / d);
                    L[16 * j + ii] = (sbyte)(Math.Max(-4, Math.Min(3, l)) + 4);
                }
            }

            PackQuants(L, hmask, qs);
            blocks[i] = new Q3_KBlock(hmask, qs, packedScales, dHalf);
        }
    }

    /// <summary>Rounds each sub-block scale to 6 bits (biased by 32) and packs 16 of them into 12 bytes.</summary>
    internal static void PackScales(float iscale, ReadOnlySpan<float> scales, Span<byte> packed)
    {
        for (int j = 0; j < 16; j++)
        {
            // int8_t l = nearest_int(...): C keeps the low byte before clamping
            sbyte l = (sbyte)CFloat.NearestInt(iscale * scales[j]);
            l = (sbyte)(Math.Max(-32, Math.Min(31, (int)l)) + 32);
            if (j < 8)
            {
                packed[j] = (byte)(l & 0xF);
            }
            else
            {
                packed[j - 8] = (byte)(packed[j - 8] | ((l & 0xF) << 4));
            }
            l >>= 4;
            packed[(j % 4) + 8] = (byte)(packed[(j % 4) + 8] | ((byte)l << (2 * (j / 4))));
        }
    }

    /// <summary>Splits L (0..7) into the hmask high bit (element e → bit e/32 of hmask[e%32]) and 2-bit qs.</summary>
    internal static void PackQuants(Span<sbyte> L, Span<byte> hmask, Span<byte> qs)
    {
        hmask.Clear();
        int m = 0;
        byte hm = 1;
        for (int j = 0; j < BlockSize; j++)
        {
            if (L[j] > 3)
            {
                hmask[m] |= hm;
                L[j] -= 4;
            }
            if (++m == BlockSize / 8)
            {
                m = 0;
                hm <<= 1;
            }
        }
        for (int j = 0; j < BlockSize; j += 128)
        {
            for (int l = 0; l < 32; l++)
            {
                qs[j / 4 + l] = (byte)((byte)L[j + l] | ((byte)L[j + l + 32] << 2) | ((byte)L[j + l + 64] << 4) | ((byte)L[j + l + 96] << 6));
            }
        }
    }
}
