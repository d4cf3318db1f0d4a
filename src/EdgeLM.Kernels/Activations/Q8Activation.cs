using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using EdgeLM.Kernels.Cpu;

namespace EdgeLM.Kernels.Activations;

/// <summary>
/// Q8_0 / Q8_1 activation quantization as ggml's x86 AVX2 <c>quantize_row_q8_0/_q8_1</c> does it (not the _ref):
/// per 32 values <c>d = amax/127f</c>, <c>id = amax != 0 ? 127f/amax : 0</c>, <c>q = round_half_even(x·id)</c>
/// converted with <c>vcvtps2dq</c> (NaN/overflow → int.MinValue) and saturating packs; block_q8_0 = half d + 32 int8,
/// block_q8_1 = half d + half s + 32 int8 with <c>s = half(d · (float)Σq)</c> summed before saturation.
/// </summary>
internal static class Q8Activation
{
    private const int Block = 32;

    public static void QuantizeScalar(ReadOnlySpan<float> x, Span<byte> dst, bool withSum)
    {
        int blockBytes = withSum ? 36 : 34;
        int qOffset = withSum ? 4 : 2;
        for (int b = 0; b < x.Length / Block; b++)
        {
            var xb = x.Slice(b * Block, Block);
            var db = dst.Slice(b * blockBytes, blockBytes);
            float amax = 0f;
            foreach (float v in xb)
                amax = MathF.Max(amax, MathF.Abs(v));
            float d = amax / 127f;
            float id = amax != 0f ? 127f / amax : 0f;
            int sum = 0;
            for (int i = 0; i < Block; i++)
            {
                int q = ConvertLikeX86(MathF.Round(xb[i] * id));
                sum = unchecked(sum + q);
                db[qOffset + i] = (byte)(sbyte)Math.Clamp(q, -128, 127);
            }
            WriteHeader(db, d, sum, withSum);
        }
    }

    public static void QuantizeAvx2(ReadOnlySpan<float> x, Span<byte> dst, bool withSum)
    {
        if (!Avx2.IsSupported)
        {
            QuantizeScalar(x, dst, withSum);
            return;
        }
        int blockBytes = withSum ? 36 : 34;
        int qOffset = withSum ? 4 : 2;
        var absMask = Vector256.Create(0x7FFFFFFF).AsSingle();
        var order = Vector256.Create(0, 4, 1, 5, 2, 6, 3, 7);
        ref float xr = ref MemoryMarshal.GetReference(x);
        for (int b = 0; b < x.Length / Block; b++)
        {
            ref float xb = ref Unsafe.Add(ref xr, b * Block);
            var v0 = Vector256.LoadUnsafe(ref xb);
            var v1 = Vector256.LoadUnsafe(ref xb, 8);
            var v2 = Vector256.LoadUnsafe(ref xb, 16);
            var v3 = Vector256.LoadUnsafe(ref xb, 24);
            var m = Avx.Max(Avx.Max(Avx.And(v0, absMask), Avx.And(v1, absMask)),
                            Avx.Max(Avx.And(v2, absMask), Avx.And(v3, absMask)));
            var m4 = Sse.Max(m.GetLower(), m.GetUpper());
            m4 = Sse.Max(m4, Sse.MoveHighToLow(m4, m4));
            m4 = Sse.MaxScalar(m4, Sse3.MoveHighAndDuplicate(m4));
            float amax = m4.ToScalar();
            float d = amax / 127f;
            var id = Vector256.Create(amax != 0f ? 127f / amax : 0f);

            var i0 = Avx.ConvertToVector256Int32(Avx.RoundToNearestInteger(Avx.Multiply(v0, id)));
            var i1 = Avx.ConvertToVector256Int32(Avx.RoundToNearestInteger(Avx.Multiply(v1, id)));
            var i2 = Avx.ConvertToVector256Int32(Avx.RoundToNearestInteger(Avx.Multiply(v2, id)));
            var i3 = Avx.ConvertToVector256Int32(Avx.RoundToNearestInteger(Avx.Multiply(v3, id)));
            int sum = withSum ? Vector256.Sum(Avx2.Add(Avx2.Add(i0, i1), Avx2.Add(i2, i3))) : 0;

            // packs interleave 128-bit lanes; the permute restores element order
            var s01 = Avx2.PackSignedSaturate(i0, i1);
            var s23 = Avx2.PackSignedSaturate(i2, i3);
            var bytes = Avx2.PermuteVar8x32(Avx2.PackSignedSaturate(s01, s23).AsInt32(), order);

            var db = dst.Slice(b * blockBytes, blockBytes);
            bytes.AsByte().StoreUnsafe(ref db[qOffset]);
            WriteHeader(db, d, sum, withSum);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteHeader(Span<byte> db, float d, int sum, bool withSum)
    {
        MemoryMarshal.Write(db, HalfBits.FromSingle(d));
        if (withSum)
            MemoryMarshal.Write(db[2..], HalfBits.FromSingle(d * (float)sum));
    }

    /// <summary>x86 <c>cvtps2dq</c>: NaN and out-of-range values give the "integer indefinite" 0x80000000.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ConvertLikeX86(float rounded) =>
        float.IsNaN(rounded) || rounded >= 2147483648f || rounded < -2147483648f ? int.MinValue : (int)rounded;
}
