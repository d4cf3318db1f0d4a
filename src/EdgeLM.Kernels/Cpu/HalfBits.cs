using System.Runtime.CompilerServices;

namespace EdgeLM.Kernels.Cpu;

/// <summary>
/// IEEE binary16 and bfloat16 conversions on raw bits. Widening is exact; narrowing rounds to nearest even,
/// keeps subnormals and never flushes to zero (ggml_fp32_to_fp16 / F16C and ggml_fp32_to_bf16 behave so).
/// </summary>
public static class HalfBits
{
    /// <summary>Widens half bits to float, exactly (subnormals, infinities and NaN included).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ToSingle(ushort h)
    {
        // Shifting the 15 magnitude bits into float position gives the value scaled by 2^-112 (bias 127 vs 15);
        // one exact multiply by 2^112 rescales normals and subnormals alike.
        uint magnitude = (uint)(h & 0x7FFF) << 13;
        float f = BitConverter.UInt32BitsToSingle(magnitude) * 5.1922969e33f;
        if ((h & 0x7C00) == 0x7C00)
            f = BitConverter.UInt32BitsToSingle(magnitude | 0x7F800000);
        return BitConverter.UInt32BitsToSingle(BitConverter.SingleToUInt32Bits(f) | ((uint)(h & 0x8000) << 16));
    }

    /// <summary>Rounds a float to half bits, round-to-nearest-even (the F16C instruction's default).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort FromSingle(float f) => BitConverter.HalfToUInt16Bits((Half)f);

    /// <summary>Widens bfloat16 bits to float: bf16 is the upper half of a binary32.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float BFloat16ToSingle(ushort b) => BitConverter.UInt32BitsToSingle((uint)b << 16);

    /// <summary>
    /// Rounds a float to bfloat16 bits as ggml_fp32_to_bf16 does: round-to-nearest-even
    /// <c>(bits + 0x7FFF + ((bits &gt;&gt; 16) &amp; 1)) &gt;&gt; 16</c>, NaN kept quiet.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort BFloat16FromSingle(float f)
    {
        uint bits = BitConverter.SingleToUInt32Bits(f);
        if ((bits & 0x7FFFFFFF) > 0x7F800000)
            return (ushort)((bits >> 16) | 64);
        return (ushort)((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16);
    }
}
