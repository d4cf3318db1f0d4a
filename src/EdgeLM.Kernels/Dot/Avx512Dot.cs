using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EdgeLM.Kernels.Dot;

/// <summary>
/// 512-bit F32/F16/BF16 kernels (16-lane FMA, 4 resp. 2 accumulators, as ggml_vec_dot_f32/f16 on AVX-512F).
/// The quantized types use the 256-bit integer kernels: .NET exposes VNNI only at 256 bits (AvxVnni).
/// </summary>
internal static unsafe class Avx512Dot
{
    public static float F32(byte* xb, byte* yb, int n)
    {
        float* x = (float*)xb, y = (float*)yb;
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
        int i = 0;
        for (; i + 64 <= n; i += 64)
        {
            a0 = Avx512F.FusedMultiplyAdd(Avx512F.LoadVector512(x + i), Avx512F.LoadVector512(y + i), a0);
            a1 = Avx512F.FusedMultiplyAdd(Avx512F.LoadVector512(x + i + 16), Avx512F.LoadVector512(y + i + 16), a1);
            a2 = Avx512F.FusedMultiplyAdd(Avx512F.LoadVector512(x + i + 32), Avx512F.LoadVector512(y + i + 32), a2);
            a3 = Avx512F.FusedMultiplyAdd(Avx512F.LoadVector512(x + i + 48), Avx512F.LoadVector512(y + i + 48), a3);
        }
        for (; i + 16 <= n; i += 16)
            a0 = Avx512F.FusedMultiplyAdd(Avx512F.LoadVector512(x + i), Avx512F.LoadVector512(y + i), a0);
        float s = Vector512.Sum((a0 + a1) + (a2 + a3));
        for (; i < n; i++)
            s += x[i] * y[i];
        return s;
    }

    private static Vector512<float> HalfAt(ushort* p) =>
        HalfVectors.ToSingle(Avx512F.ConvertToVector512UInt32(Avx.LoadVector256(p)));

    private static Vector512<float> BFloatAt(ushort* p) =>
        Avx512F.ShiftLeftLogical(Avx512F.ConvertToVector512UInt32(Avx.LoadVector256(p)), 16).AsSingle();

    public static float F16(byte* xb, byte* yb, int n)
    {
        ushort* x = (ushort*)xb, y = (ushort*)yb;
        Vector512<float> a0 = default, a1 = default;
        int i = 0;
        for (; i + 32 <= n; i += 32)
        {
            a0 = Avx512F.FusedMultiplyAdd(HalfAt(x + i), HalfAt(y + i), a0);
            a1 = Avx512F.FusedMultiplyAdd(HalfAt(x + i + 16), HalfAt(y + i + 16), a1);
        }
        for (; i + 16 <= n; i += 16)
            a0 = Avx512F.FusedMultiplyAdd(HalfAt(x + i), HalfAt(y + i), a0);
        float s = Vector512.Sum(a0 + a1);
        for (; i < n; i++)
            s += Cpu.HalfBits.ToSingle(x[i]) * Cpu.HalfBits.ToSingle(y[i]);
        return s;
    }

    public static float BF16(byte* xb, byte* yb, int n)
    {
        ushort* x = (ushort*)xb, y = (ushort*)yb;
        Vector512<float> a0 = default, a1 = default;
        int i = 0;
        for (; i + 32 <= n; i += 32)
        {
            a0 = Avx512F.FusedMultiplyAdd(BFloatAt(x + i), BFloatAt(y + i), a0);
            a1 = Avx512F.FusedMultiplyAdd(BFloatAt(x + i + 16), BFloatAt(y + i + 16), a1);
        }
        for (; i + 16 <= n; i += 16)
            a0 = Avx512F.FusedMultiplyAdd(BFloatAt(x + i), BFloatAt(y + i), a0);
        float s = Vector512.Sum(a0 + a1);
        for (; i < n; i++)
            s += Cpu.HalfBits.BFloat16ToSingle(x[i]) * Cpu.HalfBits.BFloat16ToSingle(y[i]);
        return s;
    }
}
