using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EdgeLM.Kernels.Dot;

/// <summary>256-bit F32/F16/BF16 kernels: exact widening to float, FMA into 4 accumulators of 8 lanes.</summary>
internal static unsafe partial class Avx2Dot<TProducts>
{
    public static float F32(byte* xb, byte* yb, int n)
    {
        float* x = (float*)xb, y = (float*)yb;
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
        int i = 0;
        for (; i + 32 <= n; i += 32)
        {
            a0 = Fma.MultiplyAdd(Avx.LoadVector256(x + i), Avx.LoadVector256(y + i), a0);
            a1 = Fma.MultiplyAdd(Avx.LoadVector256(x + i + 8), Avx.LoadVector256(y + i + 8), a1);
            a2 = Fma.MultiplyAdd(Avx.LoadVector256(x + i + 16), Avx.LoadVector256(y + i + 16), a2);
            a3 = Fma.MultiplyAdd(Avx.LoadVector256(x + i + 24), Avx.LoadVector256(y + i + 24), a3);
        }
        for (; i + 8 <= n; i += 8)
            a0 = Fma.MultiplyAdd(Avx.LoadVector256(x + i), Avx.LoadVector256(y + i), a0);
        float s = Vector256.Sum((a0 + a1) + (a2 + a3));
        for (; i < n; i++)
            s += x[i] * y[i];
        return s;
    }

    private static Vector256<float> HalfAt(ushort* p) => HalfVectors.ToSingle(Avx2.ConvertToVector256Int32(p).AsUInt32());

    private static Vector256<float> BFloatAt(ushort* p) =>
        Avx2.ShiftLeftLogical(Avx2.ConvertToVector256Int32(p), 16).AsSingle();

    public static float F16(byte* xb, byte* yb, int n)
    {
        ushort* x = (ushort*)xb, y = (ushort*)yb;
        Vector256<float> a0 = default, a1 = default;
        int i = 0;
        for (; i + 16 <= n; i += 16)
        {
            a0 = Fma.MultiplyAdd(HalfAt(x + i), HalfAt(y + i), a0);
            a1 = Fma.MultiplyAdd(HalfAt(x + i + 8), HalfAt(y + i + 8), a1);
        }
        for (; i + 8 <= n; i += 8)
            a0 = Fma.MultiplyAdd(HalfAt(x + i), HalfAt(y + i), a0);
        float s = Vector256.Sum(a0 + a1);
        for (; i < n; i++)
            s += Cpu.HalfBits.ToSingle(x[i]) * Cpu.HalfBits.ToSingle(y[i]);
        return s;
    }

    public static float BF16(byte* xb, byte* yb, int n)
    {
        ushort* x = (ushort*)xb, y = (ushort*)yb;
        Vector256<float> a0 = default, a1 = default;
        int i = 0;
        for (; i + 16 <= n; i += 16)
        {
            a0 = Fma.MultiplyAdd(BFloatAt(x + i), BFloatAt(y + i), a0);
            a1 = Fma.MultiplyAdd(BFloatAt(x + i + 8), BFloatAt(y + i + 8), a1);
        }
        for (; i + 8 <= n; i += 8)
            a0 = Fma.MultiplyAdd(BFloatAt(x + i), BFloatAt(y + i), a0);
        float s = Vector256.Sum(a0 + a1);
        for (; i < n; i++)
            s += Cpu.HalfBits.BFloat16ToSingle(x[i]) * Cpu.HalfBits.BFloat16ToSingle(y[i]);
        return s;
    }
}
