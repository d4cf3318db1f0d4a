using System.Runtime.CompilerServices;
using EdgeLM.Kernels.Cpu;

namespace EdgeLM.Kernels.Dot;

/// <summary>
/// Reference dot products, one weight row (x) with its paired activation row (y), n values.
/// As in ggml: exact integer sums inside a block, one float term per block (K-quants: the scale term and the
/// min term), accumulated in block order. Every SIMD variant is tested against these.
/// </summary>
public static unsafe class ScalarDot
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float H(byte* p) => HalfBits.ToSingle(*(ushort*)p);

    public static float F32(byte* x, byte* y, int n)
    {
        float* a = (float*)x, b = (float*)y;
        double s = 0;
        for (int i = 0; i < n; i++)
            s += a[i] * b[i];
        return (float)s;
    }

    public static float F16(byte* x, byte* y, int n)
    {
        double s = 0;
        for (int i = 0; i < n; i++)
            s += H(x + 2 * i) * H(y + 2 * i);
        return (float)s;
    }

    public static float BF16(byte* x, byte* y, int n)
    {
        ushort* a = (ushort*)x, b = (ushort*)y;
        double s = 0;
        for (int i = 0; i < n; i++)
            s += HalfBits.BFloat16ToSingle(a[i]) * HalfBits.BFloat16ToSingle(b[i]);
        return (float)s;
    }

    /// <summary>Q4_0 (half d, 16 bytes: element e low nibble of qs[e], e+16 high nibble) × Q8_0.</summary>
    public static float Q4_0(byte* x, byte* y, int n)
    {
        float s = 0f;
        for (int b = 0; b < n / 32; b++, x += 18, y += 34)
        {
            sbyte* q8 = (sbyte*)(y + 2);
            int sum = 0;
            for (int j = 0; j < 16; j++)
            {
                sum += ((x[2 + j] & 15) - 8) * q8[j];
                sum += ((x[2 + j] >> 4) - 8) * q8[j + 16];
            }
            s += sum * (H(x) * H(y));
        }
        return s;
    }

    /// <summary>Q4_1 (half d, half m, 16 bytes) × Q8_1: d_x·d_y·Σq·y + m_x·s_y, using the F16 block sum s.</summary>
    public static float Q4_1(byte* x, byte* y, int n)
    {
        float s = 0f;
        for (int b = 0; b < n / 32; b++, x += 20, y += 36)
        {
            sbyte* q8 = (sbyte*)(y + 4);
            int sum = 0;
            for (int j = 0; j < 16; j++)
            {
                sum += (x[4 + j] & 15) * q8[j];
                sum += (x[4 + j] >> 4) * q8[j + 16];
            }
            s += (H(x) * H(y)) * sum + H(x + 2) * H(y + 2);
        }
        return s;
    }

    /// <summary>Q5_0 (half d, uint32 qh, 16 bytes): q = nibble | bit e of qh &lt;&lt; 4, value q − 16.</summary>
    public static float Q5_0(byte* x, byte* y, int n)
    {
        float s = 0f;
        for (int b = 0; b < n / 32; b++, x += 22, y += 34)
        {
            uint qh = *(uint*)(x + 2);
            sbyte* q8 = (sbyte*)(y + 2);
            int sum = 0;
            for (int j = 0; j < 16; j++)
            {
                int lo = (x[6 + j] & 15) | (int)((qh >> j) & 1) << 4;
                int hi = (x[6 + j] >> 4) | (int)((qh >> (j + 16)) & 1) << 4;
                sum += (lo - 16) * q8[j] + (hi - 16) * q8[j + 16];
            }
            s += sum * (H(x) * H(y));
        }
        return s;
    }

    /// <summary>Q5_1 (half d, half m, uint32 qh, 16 bytes) × Q8_1.</summary>
    public static float Q5_1(byte* x, byte* y, int n)
    {
        float s = 0f;
        for (int b = 0; b < n / 32; b++, x += 24, y += 36)
        {
            uint qh = *(uint*)(x + 4);
            sbyte* q8 = (sbyte*)(y + 4);
            int sum = 0;
            for (int j = 0; j < 16; j++)
            {
                int lo = (x[8 + j] & 15) | (int)((qh >> j) & 1) << 4;
                int hi = (x[8 + j] >> 4) | (int)((qh >> (j + 16)) & 1) << 4;
                sum += lo * q8[j] + hi * q8[j + 16];
            }
            s += (H(x) * H(y)) * sum + H(x + 2) * H(y + 2);
        }
        return s;
    }

    public static float Q8_0(byte* x, byte* y, int n)
    {
        float s = 0f;
        for (int b = 0; b < n / 32; b++, x += 34, y += 34)
        {
            sbyte* a = (sbyte*)(x + 2), c = (sbyte*)(y + 2);
            int sum = 0;
            for (int j = 0; j < 32; j++)
                sum += a[j] * c[j];
            s += sum * (H(x) * H(y));
        }
        return s;
    }

    /// <summary>
    /// Q2_K (scales[16], qs[64], half d, half dmin) × Q8_K: element e = 128h + 32j + l has q = (qs[32h+l] &gt;&gt; 2j) &amp; 3,
    /// sub-block e/16 scale = scales &amp; 15, min = scales &gt;&gt; 4. Term: d_y·d·Σ sc·Σqy − d_y·dmin·Σ m·bsums.
    /// </summary>
    public static float Q2_K(byte* x, byte* y, int n)
    {
        float s = 0f;
        for (int b = 0; b < n / 256; b++, x += 84, y += 292)
        {
            sbyte* q8 = (sbyte*)(y + 4);
            short* bsums = (short*)(y + 260);
            int sumi = 0, summ = 0;
            for (int sb = 0; sb < 16; sb++)
            {
                int dot = 0;
                for (int i = 0; i < 16; i++)
                {
                    int e = 16 * sb + i;
                    int q = (x[16 + 32 * (e / 128) + e % 32] >> (2 * ((e % 128) / 32))) & 3;
                    dot += q * q8[e];
                }
                sumi += (x[sb] & 15) * dot;
                summ += (x[sb] >> 4) * bsums[sb];
            }
            float dy = *(float*)y;
            s += dy * H(x + 80) * sumi - dy * H(x + 82) * summ;
        }
        return s;
    }

    /// <summary>
    /// Q3_K (hmask[32], qs[64], scales[12], half d) × Q8_K: low 2 bits as Q2_K, q = low − 4 unless hmask bit e/32
    /// of byte e%32 is set; 6-bit signed scales (sc − 32) unpacked from 12 bytes.
    /// </summary>
    public static float Q3_K(byte* x, byte* y, int n)
    {
        float s = 0f;
        for (int b = 0; b < n / 256; b++, x += 110, y += 292)
        {
            sbyte* q8 = (sbyte*)(y + 4);
            int sumi = 0;
            for (int sb = 0; sb < 16; sb++)
            {
                int dot = 0;
                for (int i = 0; i < 16; i++)
                {
                    int e = 16 * sb + i;
                    int low = (x[32 + 32 * (e / 128) + e % 32] >> (2 * ((e % 128) / 32))) & 3;
                    int hb = (x[e % 32] >> (e / 32)) & 1;
                    dot += (low - (hb != 0 ? 0 : 4)) * q8[e];
                }
                sumi += KQuantScales.Q3Scale(x + 96, sb) * dot;
            }
            s += *(float*)y * H(x + 108) * sumi;
        }
        return s;
    }

    /// <summary>
    /// Q4_K (half d, half dmin, scales[12], qs[128]) × Q8_K: 8 sub-blocks of 32, sub-block sb reads the low (even sb)
    /// or high (odd sb) nibbles of qs[32·(sb/2) ..]; 6-bit scale and min per sub-block (get_scale_min_k4).
    /// </summary>
    public static float Q4_K(byte* x, byte* y, int n)
    {
        float s = 0f;
        for (int b = 0; b < n / 256; b++, x += 144, y += 292)
        {
            sbyte* q8 = (sbyte*)(y + 4);
            short* bsums = (short*)(y + 260);
            int sumi = 0, summ = 0;
            for (int sb = 0; sb < 8; sb++)
            {
                KQuantScales.ScaleMinK4(x + 4, sb, out int sc, out int m);
                byte* qs = x + 16 + 32 * (sb / 2);
                int dot = 0;
                for (int l = 0; l < 32; l++)
                    dot += ((sb & 1) == 0 ? qs[l] & 15 : qs[l] >> 4) * q8[32 * sb + l];
                sumi += sc * dot;
                summ += m * (bsums[2 * sb] + bsums[2 * sb + 1]);
            }
            float dy = *(float*)y;
            s += dy * H(x) * sumi - dy * H(x + 2) * summ;
        }
        return s;
    }

    /// <summary>Q5_K (half d, half dmin, scales[12], qh[32], qs[128]) × Q8_K: Q4_K plus bit sb of qh[l] as bit 4.</summary>
    public static float Q5_K(byte* x, byte* y, int n)
    {
        float s = 0f;
        for (int b = 0; b < n / 256; b++, x += 176, y += 292)
        {
            sbyte* q8 = (sbyte*)(y + 4);
            short* bsums = (short*)(y + 260);
            int sumi = 0, summ = 0;
            for (int sb = 0; sb < 8; sb++)
            {
                KQuantScales.ScaleMinK4(x + 4, sb, out int sc, out int m);
                byte* qs = x + 48 + 32 * (sb / 2);
                int dot = 0;
                for (int l = 0; l < 32; l++)
                {
                    int q = ((sb & 1) == 0 ? qs[l] & 15 : qs[l] >> 4) + 16 * ((x[16 + l] >> sb) & 1);
                    dot += q * q8[32 * sb + l];
                }
                sumi += sc * dot;
                summ += m * (bsums[2 * sb] + bsums[2 * sb + 1]);
            }
            float dy = *(float*)y;
            s += dy * H(x) * sumi - dy * H(x + 2) * summ;
        }
        return s;
    }

    /// <summary>
    /// Q6_K (ql[128], qh[64], int8 scales[16], half d) × Q8_K: e = 128h + 32k + l, low 4 bits from ql[64h + 32(k&amp;1) + l]
    /// (k &lt; 2 low nibble, else high), high 2 bits (qh[32h+l] &gt;&gt; 2k) &amp; 3, value q − 32.
    /// </summary>
    public static float Q6_K(byte* x, byte* y, int n)
    {
        float s = 0f;
        for (int b = 0; b < n / 256; b++, x += 210, y += 292)
        {
            sbyte* q8 = (sbyte*)(y + 4);
            sbyte* scales = (sbyte*)(x + 192);
            int sumi = 0;
            for (int sb = 0; sb < 16; sb++)
            {
                int dot = 0;
                for (int i = 0; i < 16; i++)
                {
                    int e = 16 * sb + i;
                    int h = e / 128, k = (e % 128) / 32, l = e % 32;
                    int ql = x[64 * h + 32 * (k & 1) + l];
                    int low = k < 2 ? ql & 15 : ql >> 4;
                    int high = (x[128 + 32 * h + l] >> (2 * k)) & 3;
                    dot += ((low | high << 4) - 32) * q8[e];
                }
                sumi += scales[sb] * dot;
            }
            s += *(float*)y * H(x + 208) * sumi;
        }
        return s;
    }
}
