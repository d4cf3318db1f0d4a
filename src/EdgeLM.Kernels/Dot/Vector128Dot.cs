using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using EdgeLM.Kernels.Cpu;

namespace EdgeLM.Kernels.Dot;

/// <summary>
/// Portable 128-bit kernels (SSE on x86, AdvSimd on ARM64) written only with the cross-platform Vector128 API.
/// Int8 products widen to int16 (|x·y| ≤ 128·128 fits) and then to int32. Types without a kernel here
/// (Q4_1, Q5_0, Q5_1 and the K-quants) use <see cref="ScalarDot"/> in this variant. Each block's int sum is
/// reduced exactly and scaled once, in block order, so the integer types return the scalar result bit for bit.
/// </summary>
internal static unsafe class Vector128Dot
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float H(byte* p) => HalfBits.ToSingle(*(ushort*)p);

    public static float F32(byte* xb, byte* yb, int n)
    {
        float* x = (float*)xb, y = (float*)yb;
        Vector128<float> a0 = default, a1 = default;
        int i = 0;
        for (; i + 8 <= n; i += 8)
        {
            a0 += Vector128.Load(x + i) * Vector128.Load(y + i);
            a1 += Vector128.Load(x + i + 4) * Vector128.Load(y + i + 4);
        }
        float s = Vector128.Sum(a0 + a1);
        for (; i < n; i++)
            s += x[i] * y[i];
        return s;
    }

    public static float F16(byte* xb, byte* yb, int n)
    {
        ushort* x = (ushort*)xb, y = (ushort*)yb;
        Vector128<float> a0 = default, a1 = default;
        int i = 0;
        for (; i + 8 <= n; i += 8)
        {
            var (xl, xh) = Vector128.Widen(Vector128.Load(x + i));
            var (yl, yh) = Vector128.Widen(Vector128.Load(y + i));
            a0 += HalfVectors.ToSingle(xl) * HalfVectors.ToSingle(yl);
            a1 += HalfVectors.ToSingle(xh) * HalfVectors.ToSingle(yh);
        }
        float s = Vector128.Sum(a0 + a1);
        for (; i < n; i++)
            s += HalfBits.ToSingle(x[i]) * HalfBits.ToSingle(y[i]);
        return s;
    }

    public static float BF16(byte* xb, byte* yb, int n)
    {
        ushort* x = (ushort*)xb, y = (ushort*)yb;
        Vector128<float> a0 = default, a1 = default;
        int i = 0;
        for (; i + 8 <= n; i += 8)
        {
            var (xl, xh) = Vector128.Widen(Vector128.Load(x + i));
            var (yl, yh) = Vector128.Widen(Vector128.Load(y + i));
            a0 += (xl << 16).AsSingle() * (yl << 16).AsSingle();
            a1 += (xh << 16).AsSingle() * (yh << 16).AsSingle();
        }
        float s = Vector128.Sum(a0 + a1);
        for (; i < n; i++)
            s += HalfBits.BFloat16ToSingle(x[i]) * HalfBits.BFloat16ToSingle(y[i]);
        return s;
    }

    /// <summary>Σ a·b over 16 int8 pairs, as 4 int32 partial sums.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> Dot16(Vector128<sbyte> a, Vector128<sbyte> b)
    {
        var (al, ah) = Vector128.Widen(a);
        var (bl, bh) = Vector128.Widen(b);
        var (p0, p1) = Vector128.Widen(al * bl);
        var (p2, p3) = Vector128.Widen(ah * bh);
        return (p0 + p1) + (p2 + p3);
    }

    public static float Q8_0(byte* x, byte* y, int n)
    {
        float s = 0f;
        for (int b = 0; b < n / 32; b++, x += 34, y += 34)
        {
            var sumi = Dot16(Vector128.Load((sbyte*)(x + 2)), Vector128.Load((sbyte*)(y + 2)))
                     + Dot16(Vector128.Load((sbyte*)(x + 18)), Vector128.Load((sbyte*)(y + 18)));
            s += Vector128.Sum(sumi) * (H(x) * H(y));
        }
        return s;
    }

    public static float Q4_0(byte* x, byte* y, int n)
    {
        float s = 0f;
        var m4 = Vector128.Create((byte)15);
        var eight = Vector128.Create((sbyte)8);
        for (int b = 0; b < n / 32; b++, x += 18, y += 34)
        {
            var q = Vector128.Load(x + 2);
            var lo = (q & m4).AsSByte() - eight;
            var hi = (Vector128.ShiftRightLogical(q, 4) & m4).AsSByte() - eight;
            var sumi = Dot16(lo, Vector128.Load((sbyte*)(y + 2))) + Dot16(hi, Vector128.Load((sbyte*)(y + 18)));
            s += Vector128.Sum(sumi) * (H(x) * H(y));
        }
        return s;
    }
}
