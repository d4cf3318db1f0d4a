using System.Runtime.CompilerServices;

namespace EdgeLM.Kernels.Formats;

/// <summary>
/// The C float-to-integer behaviour the reference quantizers rely on, as the x86-64 GCC build of
/// ggml-base has it (quant/README.md: "nearest_int", "Undefined behaviour").
/// </summary>
internal static class CFloat
{
    /// <summary>
    /// ggml's nearest_int: adding 1.5·2^23 puts the rounded integer in the low mantissa bits
    /// (round half to even for |f| ≤ 4194303). ±inf gives −4194304 and NaN gives 0, which the
    /// reference bytes contain for the tiny inputs, so it must stay a bit trick, not Math.Round.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int NearestInt(float f)
    {
        float v = f + 12582912f;
        int i = BitConverter.SingleToInt32Bits(v);
        return (i & 0x007FFFFF) - 0x00400000;
    }

    /// <summary>
    /// C's (int)f compiled to cvttss2si: truncation toward zero, and the "integer indefinite" value
    /// 0x80000000 for NaN, ±inf and anything outside int32. .NET saturates instead, so emulate it;
    /// the casts to int8/uint8 in the reference then keep the low byte of this.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int TruncateX86(float f) => f >= -2147483648f && f < 2147483648f ? (int)f : int.MinValue;

    /// <summary>C's roundf: round half away from zero, result still a float.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float RoundF(float f) => MathF.Round(f, MidpointRounding.AwayFromZero);
}
