using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EdgeLM.Kernels.Activations;

/// <summary>
/// Q8_K activation quantization = ggml's <c>quantize_row_q8_K_ref</c> (x86 uses the reference):
/// per 256 values, <c>max</c> = the first value of largest |x|, <c>iscale = -127f/max</c>,
/// <c>q = min(127, nearest_int(iscale·x))</c> keeping the low byte, <c>d = 1/iscale</c> (a float),
/// <c>bsums[j]</c> = Σ of 16 q. block_q8_K = float d, int8 qs[256], int16 bsums[16] (292 bytes).
/// An all-zero block gets d = 0, zero qs and (the buffer being zeroed in the reference data) zero bsums.
/// </summary>
internal static class Q8KActivation
{
    private const int Block = 256;
    private const int BlockBytes = 292;

    public static void QuantizeScalar(ReadOnlySpan<float> x, Span<byte> dst)
    {
        for (int b = 0; b < x.Length / Block; b++)
        {
            var xb = x.Slice(b * Block, Block);
            var db = dst.Slice(b * BlockBytes, BlockBytes);
            float max = 0f, amax = 0f;
            for (int j = 0; j < Block; j++)
            {
                float ax = MathF.Abs(xb[j]);
                if (ax > amax) { amax = ax; max = xb[j]; }
            }
            if (amax == 0f)
            {
                db.Clear();
                continue;
            }
            float iscale = -127f / max;
            for (int j = 0; j < Block; j++)
                db[4 + j] = (byte)(sbyte)Math.Min(127, NearestInt(iscale * xb[j]));
            WriteSumsAndScale(db, 1f / iscale);
        }
    }

    public static void QuantizeAvx2(ReadOnlySpan<float> x, Span<byte> dst)
    {
        if (!Avx2.IsSupported)
        {
            QuantizeScalar(x, dst);
            return;
        }
        var absMask = Vector256.Create(0x7FFFFFFF).AsSingle();
        var magic = Vector256.Create(12582912f);
        var mantissa = Vector256.Create(0x007FFFFF);
        var bias = Vector256.Create(0x00400000);
        var order = Vector256.Create(0, 4, 1, 5, 2, 6, 3, 7);
        ref float xr = ref MemoryMarshal.GetReference(x);
        for (int b = 0; b < x.Length / Block; b++)
        {
            ref float xb = ref Unsafe.Add(ref xr, b * Block);
            var db = dst.Slice(b * BlockBytes, BlockBytes);
            var m = Vector256<float>.Zero;
            for (int j = 0; j < Block; j += 8)
                m = Avx.Max(m, Avx.And(Vector256.LoadUnsafe(ref xb, (nuint)j), absMask));
            float amax = Vector256.Max(m, Vector256.Shuffle(m, Vector256.Create(4, 5, 6, 7, 0, 1, 2, 3))).GetLower() is var h
                ? MathF.Max(MathF.Max(h[0], h[1]), MathF.Max(h[2], h[3])) : 0f;
            if (amax == 0f)
            {
                db.Clear();
                continue;
            }
            // the reference keeps the first element reaching amax, whose sign sets the scale's sign
            float max = 0f;
            for (int j = 0; j < Block; j++)
            {
                float v = Unsafe.Add(ref xb, j);
                if (MathF.Abs(v) == amax) { max = v; break; }
            }
            float iscale = -127f / max;
            var vs = Vector256.Create(iscale);
            for (int j = 0; j < Block; j += 32)
            {
                var q0 = Nearest(Avx.Multiply(vs, Vector256.LoadUnsafe(ref xb, (nuint)j)), magic, mantissa, bias);
                var q1 = Nearest(Avx.Multiply(vs, Vector256.LoadUnsafe(ref xb, (nuint)j + 8)), magic, mantissa, bias);
                var q2 = Nearest(Avx.Multiply(vs, Vector256.LoadUnsafe(ref xb, (nuint)j + 16)), magic, mantissa, bias);
                var q3 = Nearest(Avx.Multiply(vs, Vector256.LoadUnsafe(ref xb, (nuint)j + 24)), magic, mantissa, bias);
                // min(127, v) then keep the low byte, as the C assignment to int8_t does
                var lim = Vector256.Create(127);
                q0 = Avx2.Min(q0, lim); q1 = Avx2.Min(q1, lim); q2 = Avx2.Min(q2, lim); q3 = Avx2.Min(q3, lim);
                var low = Vector256.Create(0xFF);
                var s01 = Avx2.PackUnsignedSaturate(Avx2.And(q0, low), Avx2.And(q1, low));
                var s23 = Avx2.PackUnsignedSaturate(Avx2.And(q2, low), Avx2.And(q3, low));
                var bytes = Avx2.PermuteVar8x32(Avx2.PackUnsignedSaturate(s01.AsInt16(), s23.AsInt16()).AsInt32(), order);
                bytes.AsByte().StoreUnsafe(ref db[4 + j]);
            }
            WriteSumsAndScale(db, 1f / iscale);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Nearest(Vector256<float> f, Vector256<float> magic, Vector256<int> mantissa, Vector256<int> bias) =>
        Avx2.Subtract(Avx2.And(Avx.Add(f, magic).AsInt32(), mantissa), bias);

    private static void WriteSumsAndScale(Span<byte> db, float d)
    {
        MemoryMarshal.Write(db, d);
        var qs = MemoryMarshal.Cast<byte, sbyte>(db.Slice(4, Block));
        var sums = MemoryMarshal.Cast<byte, short>(db.Slice(260, 32));
        for (int j = 0; j < 16; j++)
        {
            int s = 0;
            for (int i = 0; i < 16; i++)
                s += qs[16 * j + i];
            sums[j] = (short)s;
        }
    }

    /// <summary>ggml's nearest_int: round half to even through the 1.5·2^23 trick (NaN → 0, ±inf → -4194304).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int NearestInt(float f)
    {
        float v = f + 12582912f;
        return (BitConverter.SingleToInt32Bits(v) & 0x007FFFFF) - 0x00400000;
    }
}
