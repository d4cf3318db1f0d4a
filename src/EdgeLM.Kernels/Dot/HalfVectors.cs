using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace EdgeLM.Kernels.Dot;

/// <summary>
/// Exact half → float widening on vectors of uint32 holding half bits (no F16C in .NET's API): the 15 magnitude
/// bits shifted into float position are the value times 2^-112, so one exact multiply by 2^112 fixes normals and
/// subnormals; exponent 31 (inf/NaN) is patched to 255; the sign is or-ed back.
/// </summary>
public static class HalfVectors
{
    private const float TwoPow112 = 5.1922969e33f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> ToSingle(Vector128<uint> h)
    {
        var mag = (h & Vector128.Create(0x7FFFu)) << 13;
        var f = mag.AsSingle() * Vector128.Create(TwoPow112);
        var special = Vector128.Equals(h & Vector128.Create(0x7C00u), Vector128.Create(0x7C00u));
        f = Vector128.ConditionalSelect(special.AsSingle(), (mag | Vector128.Create(0x7F800000u)).AsSingle(), f);
        return (f.AsUInt32() | ((h & Vector128.Create(0x8000u)) << 16)).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> ToSingle(Vector256<uint> h)
    {
        var mag = (h & Vector256.Create(0x7FFFu)) << 13;
        var f = mag.AsSingle() * Vector256.Create(TwoPow112);
        var special = Vector256.Equals(h & Vector256.Create(0x7C00u), Vector256.Create(0x7C00u));
        f = Vector256.ConditionalSelect(special.AsSingle(), (mag | Vector256.Create(0x7F800000u)).AsSingle(), f);
        return (f.AsUInt32() | ((h & Vector256.Create(0x8000u)) << 16)).AsSingle();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> ToSingle(Vector512<uint> h)
    {
        var mag = (h & Vector512.Create(0x7FFFu)) << 13;
        var f = mag.AsSingle() * Vector512.Create(TwoPow112);
        var special = Vector512.Equals(h & Vector512.Create(0x7C00u), Vector512.Create(0x7C00u));
        f = Vector512.ConditionalSelect(special.AsSingle(), (mag | Vector512.Create(0x7F800000u)).AsSingle(), f);
        return (f.AsUInt32() | ((h & Vector512.Create(0x8000u)) << 16)).AsSingle();
    }
}
