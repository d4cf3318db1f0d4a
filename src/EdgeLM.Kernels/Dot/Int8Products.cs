using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EdgeLM.Kernels.Dot;

/// <summary>
/// The two integer product steps every 256-bit quantized kernel needs; implemented once with plain AVX2
/// (<c>vpmaddubsw</c> + <c>vpmaddwd</c>) and once with VNNI (<c>vpdpbusd</c>, <c>vpdpwssd</c>). Kernels are generic over
/// a struct implementing this, so the JIT compiles one specialised copy per variant with no runtime branch.
/// </summary>
internal interface IInt8Products
{
    /// <summary>acc + Σ of 4 adjacent u8·s8 products per int32 lane (u ≤ 128 so the AVX2 path cannot saturate).</summary>
    static abstract Vector256<int> DotU8S8(Vector256<int> acc, Vector256<byte> u, Vector256<sbyte> s);

    /// <summary>acc + Σ of 2 adjacent i16·i16 products per int32 lane.</summary>
    static abstract Vector256<int> DotI16(Vector256<int> acc, Vector256<short> a, Vector256<short> b);
}

/// <summary>AVX2 without VNNI.</summary>
internal readonly struct MaddProducts : IInt8Products
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> DotU8S8(Vector256<int> acc, Vector256<byte> u, Vector256<sbyte> s) =>
        Avx2.Add(acc, Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(u, s), Vector256.Create((short)1)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> DotI16(Vector256<int> acc, Vector256<short> a, Vector256<short> b) =>
        Avx2.Add(acc, Avx2.MultiplyAddAdjacent(a, b));
}

/// <summary>AVX-VNNI (VEX encoded; on AVX512-VNNI CPUs the same instructions).</summary>
internal readonly struct VnniProducts : IInt8Products
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> DotU8S8(Vector256<int> acc, Vector256<byte> u, Vector256<sbyte> s) =>
        AvxVnni.MultiplyWideningAndAdd(acc, u, s);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> DotI16(Vector256<int> acc, Vector256<short> a, Vector256<short> b) =>
        AvxVnni.MultiplyWideningAndAdd(acc, a, b);
}
