using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using EdgeLM.Kernels.Cpu;

namespace EdgeLM.Kernels.Activations;

/// <summary>Float activations for F16 / BF16 weights: rounded to the weight's own type, nearest even.</summary>
internal static class FloatActivation
{
    public static void ToHalf(ReadOnlySpan<float> x, Span<ushort> dst)
    {
        for (int i = 0; i < x.Length; i++)
            dst[i] = HalfBits.FromSingle(x[i]);
    }

    public static void ToBFloat16Scalar(ReadOnlySpan<float> x, Span<ushort> dst)
    {
        for (int i = 0; i < x.Length; i++)
            dst[i] = HalfBits.BFloat16FromSingle(x[i]);
    }

    public static void ToBFloat16Avx2(ReadOnlySpan<float> x, Span<ushort> dst)
    {
        int i = 0;
        if (Avx2.IsSupported)
        {
            var round = Vector256.Create(0x7FFFu);
            var one = Vector256.Create(1u);
            var absMask = Vector256.Create(0x7FFFFFFFu);
            var inf = Vector256.Create(0x7F800000u).AsInt32();
            var quiet = Vector256.Create(64u);
            ref float xr = ref MemoryMarshal.GetReference(x);
            for (; i + 16 <= x.Length; i += 16)
            {
                var a = Convert(Vector256.LoadUnsafe(ref xr, (nuint)i).AsUInt32(), round, one, absMask, inf, quiet);
                var b = Convert(Vector256.LoadUnsafe(ref xr, (nuint)i + 8).AsUInt32(), round, one, absMask, inf, quiet);
                var packed = Avx2.Permute4x64(Avx2.PackUnsignedSaturate(a.AsInt32(), b.AsInt32()).AsUInt64(), 0b11_01_10_00);
                packed.AsUInt16().StoreUnsafe(ref dst[i]);
            }
        }
        ToBFloat16Scalar(x[i..], dst[i..]);
    }

    private static Vector256<uint> Convert(Vector256<uint> bits, Vector256<uint> round, Vector256<uint> one,
        Vector256<uint> absMask, Vector256<int> inf, Vector256<uint> quiet)
    {
        var rounded = Avx2.ShiftRightLogical(Avx2.Add(Avx2.Add(bits, round), Avx2.And(Avx2.ShiftRightLogical(bits, 16), one)), 16);
        var nan = Avx2.CompareGreaterThan(Avx2.And(bits, absMask).AsInt32(), inf).AsUInt32();
        var nanValue = Avx2.Or(Avx2.ShiftRightLogical(bits, 16), quiet);
        return Avx2.BlendVariable(rounded.AsByte(), nanValue.AsByte(), nan.AsByte()).AsUInt32();
    }
}
