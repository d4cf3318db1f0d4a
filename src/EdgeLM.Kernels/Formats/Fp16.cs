using System.Runtime.CompilerServices;

namespace EdgeLM.Kernels.Formats;

/// <summary>
/// IEEE binary16 and bfloat16 conversions with the exact rounding ggml uses: half is round-to-nearest-even
/// with subnormals kept (ggml_compute_fp32_to_fp16, same as F16C), bf16 is
/// <c>(bits + 0x7FFF + ((bits &gt;&gt; 16) &amp; 1)) &gt;&gt; 16</c> with NaN forced quiet (ggml_compute_fp32_to_bf16).
/// Widening is exact in both cases.
/// </summary>
public static class Fp16
{
    // 2^-24 is the unit of a half subnormal; the product mant * 2^-24 is exact in binary32.
    private const float HalfSubnormalUnit = 1f / 16777216f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float HalfToFloat(ushort h)
    {
        uint sign = (uint)(h & 0x8000) << 16;
        uint exponent = (uint)(h >> 10) & 0x1F;
        uint mantissa = (uint)h & 0x3FF;
        if (exponent == 0x1F)
        {
            // inf / NaN: keep the payload, as ggml's widening does
            return BitConverter.UInt32BitsToSingle(sign | 0x7F800000u | (mantissa << 13));
        }
        if (exponent != 0)
        {
            // rebias 15 -> 127
            return BitConverter.UInt32BitsToSingle(sign | ((exponent + 112) << 23) | (mantissa << 13));
        }
        float v = mantissa * HalfSubnormalUnit;
        return sign != 0 ? -v : v;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort FloatToHalf(float f)
    {
        uint bits = BitConverter.SingleToUInt32Bits(f);
        uint sign = (bits >> 16) & 0x8000;
        uint abs = bits & 0x7FFFFFFF;
        if (abs > 0x7F800000)
        {
            // NaN: ggml returns the canonical quiet NaN 0x7E00 with the sign kept
            return (ushort)(sign | 0x7E00);
        }
        if (abs >= 0x477FF000)
        {
            // >= 65520 (half of the last ulp above 65504) rounds to infinity
            return (ushort)(sign | 0x7C00);
        }
        if (abs >= 0x38800000)
        {
            // normal half: rebias the exponent (127 -> 15), round the 13 dropped bits to nearest even;
            // a carry out of the mantissa correctly bumps the exponent
            uint h = (abs - (112u << 23)) >> 13;
            uint rest = abs & 0x1FFF;
            if (rest > 0x1000 || (rest == 0x1000 && (h & 1) != 0))
            {
                h++;
            }
            return (ushort)(sign | h);
        }
        if (abs <= 0x33000000)
        {
            // <= 2^-25: rounds to (signed) zero, the exact tie 2^-25 goes to even 0
            return (ushort)sign;
        }
        // subnormal half: value / 2^-24 rounded to nearest even
        int e = (int)(abs >> 23);
        uint m = (abs & 0x7FFFFF) | 0x800000;
        int shift = 126 - e;
        uint q = m >> shift;
        uint remainder = m & ((1u << shift) - 1);
        uint halfway = 1u << (shift - 1);
        if (remainder > halfway || (remainder == halfway && (q & 1) != 0))
        {
            q++;
        }
        return (ushort)(sign | q);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float BF16ToFloat(ushort b) => BitConverter.UInt32BitsToSingle((uint)b << 16);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort FloatToBF16(float f)
    {
        uint u = BitConverter.SingleToUInt32Bits(f);
        if ((u & 0x7FFFFFFF) > 0x7F800000)
        {
            // NaN: truncate and set the quiet bit (bit 6 of the bf16 mantissa)
            return (ushort)((u >> 16) | 64);
        }
        return (ushort)((u + 0x7FFF + ((u >> 16) & 1)) >> 16);
    }

    public static void HalfToFloat(ReadOnlySpan<ushort> src, Span<float> dst)
    {
        CheckLengths(src.Length, dst.Length);
        for (int i = 0; i < src.Length; i++)
        {
            dst[i] = HalfToFloat(src[i]);
        }
    }

    public static void FloatToHalf(ReadOnlySpan<float> src, Span<ushort> dst)
    {
        CheckLengths(src.Length, dst.Length);
        for (int i = 0; i < src.Length; i++)
        {
            dst[i] = FloatToHalf(src[i]);
        }
    }

    public static void BF16ToFloat(ReadOnlySpan<ushort> src, Span<float> dst)
    {
        CheckLengths(src.Length, dst.Length);
        for (int i = 0; i < src.Length; i++)
        {
            dst[i] = BF16ToFloat(src[i]);
        }
    }

    public static void FloatToBF16(ReadOnlySpan<float> src, Span<ushort> dst)
    {
        CheckLengths(src.Length, dst.Length);
        for (int i = 0; i < src.Length; i++)
        {
            dst[i] = FloatToBF16(src[i]);
        }
    }

    private static void CheckLengths(int src, int dst)
    {
        if (src != dst)
        {
            throw new ArgumentException($"conversion needs equal lengths: source has {src} values, destination {dst}");
        }
    }
}
