using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using EdgeLM.Kernels.Cpu;

namespace EdgeLM.Kernels.Dot;

/// <summary>
/// 256-bit kernels for the 32-value block types (Q4_0, Q4_1, Q5_0, Q5_1, Q8_0). One block's 32 int8 products go
/// through <typeparamref name="TProducts"/>; the block's int sum is scaled by d_x·d_y and FMA-accumulated into
/// 8-lane float accumulators (two, alternating, to hide FMA latency), summed horizontally at the end, like ggml.
/// </summary>
internal static unsafe partial class Avx2Dot<TProducts> where TProducts : struct, IInt8Products
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float H(byte* p) => HalfBits.ToSingle(*(ushort*)p);

    /// <summary>16 packed bytes → 32 nibbles: element e &lt; 16 is the low nibble of byte e, e ≥ 16 the high one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<byte> Nibbles(byte* qs)
    {
        var q = Sse2.LoadVector128(qs);
        var hi = Sse2.ShiftRightLogical(q.AsUInt16(), 4).AsByte();
        return Avx2.And(Vector256.Create(q, hi), Vector256.Create((byte)0x0F));
    }

    /// <summary>The 32 bits of a Q5 qh word spread to bytes: byte e = 0x10 when bit e is set, else 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<byte> HighBits16(uint qh)
    {
        var spread = Avx2.Shuffle(Vector256.Create(qh).AsByte(),
            Vector256.Create((byte)0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3));
        var bit = Vector256.Create(0x8040201008040201UL).AsByte();
        var set = Avx2.CompareEqual(Avx2.And(spread, bit), bit);
        return Avx2.And(set, Vector256.Create((byte)0x10));
    }

    public static float Q4_0(byte* x, byte* y, int n)
    {
        var acc0 = Vector256<float>.Zero;
        var acc1 = Vector256<float>.Zero;
        var ones = Vector256.Create((byte)1);
        int nb = n / 32;
        int b = 0;
        for (; b + 1 < nb; b += 2, x += 36, y += 68)
        {
            acc0 = Q4_0Block(x, y, ones, acc0);
            acc1 = Q4_0Block(x + 18, y + 34, ones, acc1);
        }
        if (b < nb)
            acc0 = Q4_0Block(x, y, ones, acc0);
        return Vector256.Sum(Avx.Add(acc0, acc1));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Q4_0Block(byte* x, byte* y, Vector256<byte> ones, Vector256<float> acc)
    {
        // Σ(nib − 8)·y = Σ nib·y − 8·Σ y: both are unsigned×signed byte products
        var yq = Avx.LoadVector256((sbyte*)(y + 2));
        var p = TProducts.DotU8S8(Vector256<int>.Zero, Nibbles(x + 2), yq);
        var sy = TProducts.DotU8S8(Vector256<int>.Zero, ones, yq);
        var sumi = Avx2.Subtract(p, Avx2.ShiftLeftLogical(sy, 3));
        return Fma.MultiplyAdd(Vector256.Create(H(x) * H(y)), Avx.ConvertToVector256Single(sumi), acc);
    }

    public static float Q4_1(byte* x, byte* y, int n)
    {
        var acc = Vector256<float>.Zero;
        float summs = 0f;
        for (int b = 0; b < n / 32; b++, x += 20, y += 36)
        {
            var sumi = TProducts.DotU8S8(Vector256<int>.Zero, Nibbles(x + 4), Avx.LoadVector256((sbyte*)(y + 4)));
            acc = Fma.MultiplyAdd(Vector256.Create(H(x) * H(y)), Avx.ConvertToVector256Single(sumi), acc);
            summs += H(x + 2) * H(y + 2);
        }
        return Vector256.Sum(acc) + summs;
    }

    public static float Q5_0(byte* x, byte* y, int n)
    {
        var acc = Vector256<float>.Zero;
        var ones = Vector256.Create((byte)1);
        for (int b = 0; b < n / 32; b++, x += 22, y += 34)
        {
            var u = Avx2.Or(Nibbles(x + 6), HighBits16(*(uint*)(x + 2)));
            var yq = Avx.LoadVector256((sbyte*)(y + 2));
            var p = TProducts.DotU8S8(Vector256<int>.Zero, u, yq);
            var sy = TProducts.DotU8S8(Vector256<int>.Zero, ones, yq);
            var sumi = Avx2.Subtract(p, Avx2.ShiftLeftLogical(sy, 4));
            acc = Fma.MultiplyAdd(Vector256.Create(H(x) * H(y)), Avx.ConvertToVector256Single(sumi), acc);
        }
        return Vector256.Sum(acc);
    }

    public static float Q5_1(byte* x, byte* y, int n)
    {
        var acc = Vector256<float>.Zero;
        float summs = 0f;
        for (int b = 0; b < n / 32; b++, x += 24, y += 36)
        {
            var u = Avx2.Or(Nibbles(x + 8), HighBits16(*(uint*)(x + 4)));
            var sumi = TProducts.DotU8S8(Vector256<int>.Zero, u, Avx.LoadVector256((sbyte*)(y + 4)));
            acc = Fma.MultiplyAdd(Vector256.Create(H(x) * H(y)), Avx.ConvertToVector256Single(sumi), acc);
            summs += H(x + 2) * H(y + 2);
        }
        return Vector256.Sum(acc) + summs;
    }

    public static float Q8_0(byte* x, byte* y, int n)
    {
        var acc0 = Vector256<float>.Zero;
        var acc1 = Vector256<float>.Zero;
        int nb = n / 32;
        int b = 0;
        for (; b + 1 < nb; b += 2, x += 68, y += 68)
        {
            acc0 = Q8_0Block(x, y, acc0);
            acc1 = Q8_0Block(x + 34, y + 34, acc1);
        }
        if (b < nb)
            acc0 = Q8_0Block(x, y, acc0);
        return Vector256.Sum(Avx.Add(acc0, acc1));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Q8_0Block(byte* x, byte* y, Vector256<float> acc)
    {
        // signed×signed via |x| (unsigned) × (y with x's sign), as the int8 instructions need one unsigned side
        var xq = Avx.LoadVector256((sbyte*)(x + 2));
        var yq = Avx.LoadVector256((sbyte*)(y + 2));
        var sumi = TProducts.DotU8S8(Vector256<int>.Zero, Avx2.Abs(xq), Avx2.Sign(yq, xq));
        return Fma.MultiplyAdd(Vector256.Create(H(x) * H(y)), Avx.ConvertToVector256Single(sumi), acc);
    }
}
