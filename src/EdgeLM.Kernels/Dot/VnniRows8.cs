using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using EdgeLM.Kernels.Cpu;

namespace EdgeLM.Kernels.Dot;

/// <summary>How many tokens one call of a <see cref="VnniRows8"/> kernel handles (a compile-time constant per type).</summary>
internal interface ITokenCount
{
    static abstract int Count { get; }
}

internal struct OneToken : ITokenCount
{
    public static int Count => 1;
}

internal struct TwoTokens : ITokenCount
{
    public static int Count => 2;
}

internal struct ThreeTokens : ITokenCount
{
    public static int Count => 3;
}

internal struct FourTokens : ITokenCount
{
    public static int Count => 4;
}

internal struct FiveTokens : ITokenCount
{
    public static int Count => 5;
}

internal struct SixTokens : ITokenCount
{
    public static int Count => 6;
}

internal struct SevenTokens : ITokenCount
{
    public static int Count => 7;
}

internal struct EightTokens : ITokenCount
{
    public static int Count => 8;
}

/// <summary>Compile-time quarter indices for <see cref="VnniRows8"/>'s Q6_K passes (the same constant-carrier shape).</summary>
internal struct K0 : ITokenCount
{
    public static int Count => 0;
}

internal struct K1 : ITokenCount
{
    public static int Count => 1;
}

internal struct K2 : ITokenCount
{
    public static int Count => 2;
}

internal struct K3 : ITokenCount
{
    public static int Count => 3;
}

/// <summary>
/// Per-block facts about a token's Q8_0 activation row that the 8-row kernels use: d widened to float and the
/// sum of the 32 int8 values (for the −8·Σy term of the unsigned-nibble product). One entry per block, a row per token.
/// </summary>
internal static unsafe class Q8_0Side
{
    /// <summary>Fills dy[b] and sy[b] for the <paramref name="blocks"/> Q8_0 blocks at <paramref name="q"/>.</summary>
    public static void Fill(byte* q, int blocks, float* dy, int* sy)
    {
        var flip = Vector256.Create((byte)0x80);
        for (int b = 0; b < blocks; b++, q += 34)
        {
            dy[b] = HalfBits.ToSingle(*(ushort*)q);
            // Σ(y + 128) by sum-of-absolute-differences against zero, then the 32·128 taken back
            var sad = Avx2.SumAbsoluteDifferences(Avx.LoadVector256(q + 2) ^ flip, Vector256<byte>.Zero).AsUInt64();
            sy[b] = (int)(sad.GetElement(0) + sad.GetElement(1) + sad.GetElement(2) + sad.GetElement(3)) - 32 * 128;
        }
    }
}

/// <summary>
/// Matrix kernels that compute 8 consecutive weight rows at once, reading the weights where they lie (no
/// repacking). For each 32-value block the 8 rows' bytes are transposed in registers so that 32-bit lane r holds
/// 4 consecutive values of row r; an activation dword broadcast to all lanes then feeds all 8 rows with one
/// <c>vpdpbusd</c>, and each lane ends the block holding its row's exact integer block sum — no horizontal
/// reduction. The float step is one FMA per (row, token, block), in block order:
/// acc = fma((float)S_b, d_x·d_y, acc). <see cref="Avx2Dot{TProducts}.Q4_0Sequential"/> is the one-row kernel with
/// the same float steps, so every output is bit for bit the same whichever kernel, tile or thread computes it.
/// </summary>
internal static unsafe class VnniRows8
{
    /// <summary>
    /// Q4_0 weights (8 rows from <paramref name="w"/>, <paramref name="wRow"/> bytes apart; 7·wRow must fit an int)
    /// times <typeparamref name="TT"/> tokens of Q8_0 activations (rows <paramref name="aRow"/> bytes apart, their
    /// <see cref="Q8_0Side"/> facts <paramref name="sideStride"/> entries apart). Writes output[t·ldOut + r], r &lt; 8.
    /// </summary>
    public static void Q4_0<TT>(byte* w, long wRow, byte* a, int aRow, float* dy, int* sy, int sideStride, int n,
        float* output, int ldOut) where TT : struct, ITokenCount
    {
        int T = TT.Count;
        int nb = n / 32;
        var m4 = Vector256.Create((byte)0x0F);
        var o0 = Vector256<float>.Zero;
        var o1 = Vector256<float>.Zero;
        var o2 = Vector256<float>.Zero;
        var o3 = Vector256<float>.Zero;
        var o4 = Vector256<float>.Zero;
        var o5 = Vector256<float>.Zero;
        var o6 = Vector256<float>.Zero;
        var o7 = Vector256<float>.Zero;
        byte* w4 = w + 4 * wRow;
        // the next 8 rows follow these in memory (8·wRow bytes): fetch them as this group is consumed, 144 bytes per
        // block, so DRAM streams one region ahead instead of leaving 8 interleaved row streams to the prefetchers
        byte* next = w + 8 * wRow;
        for (int b = 0; b < nb; b++)
        {
            byte* x = w + b * 18;
            byte* x4 = w4 + b * 18;
            byte* p = next + b * 144;
            Sse.Prefetch0(p);
            Sse.Prefetch0(p + 64);
            Sse.Prefetch0(p + 128);
            var dx = Scales(x, x4, wRow);
            Transpose(x + 2, x4 + 2, wRow, out var k0, out var k1, out var k2, out var k3);
            // low nibbles: values 4j..4j+3; high nibbles: values 16+4j..16+4j+3 (unsigned 0..15; the −8 is the sy term)
            var l0 = k0 & m4;
            var l1 = k1 & m4;
            var l2 = k2 & m4;
            var l3 = k3 & m4;
            var h0 = Avx2.ShiftRightLogical(k0.AsUInt16(), 4).AsByte() & m4;
            var h1 = Avx2.ShiftRightLogical(k1.AsUInt16(), 4).AsByte() & m4;
            var h2 = Avx2.ShiftRightLogical(k2.AsUInt16(), 4).AsByte() & m4;
            var h3 = Avx2.ShiftRightLogical(k3.AsUInt16(), 4).AsByte() & m4;

            byte* yb = a + b * 34 + 2;
            o0 = Token(o0, l0, l1, l2, l3, h0, h1, h2, h3, yb, dx, dy[b], sy[b], T == 1);
            if (T > 1)
                o1 = Token(o1, l0, l1, l2, l3, h0, h1, h2, h3, yb + aRow, dx, dy[sideStride + b], sy[sideStride + b], T == 1);
            if (T > 2)
                o2 = Token(o2, l0, l1, l2, l3, h0, h1, h2, h3, yb + 2 * aRow, dx, dy[2 * sideStride + b], sy[2 * sideStride + b], T == 1);
            if (T > 3)
                o3 = Token(o3, l0, l1, l2, l3, h0, h1, h2, h3, yb + 3 * aRow, dx, dy[3 * sideStride + b], sy[3 * sideStride + b], T == 1);
            if (T > 4)
                o4 = Token(o4, l0, l1, l2, l3, h0, h1, h2, h3, yb + 4 * aRow, dx, dy[4 * sideStride + b], sy[4 * sideStride + b], T == 1);
            if (T > 5)
                o5 = Token(o5, l0, l1, l2, l3, h0, h1, h2, h3, yb + 5 * aRow, dx, dy[5 * sideStride + b], sy[5 * sideStride + b], T == 1);
            if (T > 6)
                o6 = Token(o6, l0, l1, l2, l3, h0, h1, h2, h3, yb + 6 * aRow, dx, dy[6 * sideStride + b], sy[6 * sideStride + b], T == 1);
            if (T > 7)
                o7 = Token(o7, l0, l1, l2, l3, h0, h1, h2, h3, yb + 7 * aRow, dx, dy[7 * sideStride + b], sy[7 * sideStride + b], T == 1);
        }
        StoreTokens(output, ldOut, T, o0, o1, o2, o3, o4, o5, o6, o7);
    }

    /// <summary>
    /// Q8_0 weights × <typeparamref name="TT"/> tokens of Q8_0 activations given as y + 128 (unsigned bytes, the
    /// offset copy): Σ(y+128)·w − 128·Σw, the 128·Σw of each row block computed once for all tokens.
    /// </summary>
    public static void Q8_0<TT>(byte* w, long wRow, byte* u, int aRow, float* dy, int* sy, int sideStride, int n,
        float* output, int ldOut) where TT : struct, ITokenCount
    {
        int T = TT.Count;
        int nb = n / 32;
        var o0 = Vector256<float>.Zero;
        var o1 = Vector256<float>.Zero;
        var o2 = Vector256<float>.Zero;
        var o3 = Vector256<float>.Zero;
        var o4 = Vector256<float>.Zero;
        var o5 = Vector256<float>.Zero;
        var o6 = Vector256<float>.Zero;
        var o7 = Vector256<float>.Zero;
        var bias = Vector256.Create((byte)0x80);
        byte* w4 = w + 4 * wRow;
        byte* next = w + 8 * wRow;
        for (int b = 0; b < nb; b++)
        {
            byte* x = w + b * 34;
            byte* x4 = w4 + b * 34;
            byte* p = next + b * 272;
            Sse.Prefetch0(p);
            Sse.Prefetch0(p + 64);
            Sse.Prefetch0(p + 128);
            Sse.Prefetch0(p + 192);
            Sse.Prefetch0(p + 256);
            var dx = Scales(x, x4, wRow);
            Transpose(x + 2, x4 + 2, wRow, out var k0, out var k1, out var k2, out var k3);
            Transpose(x + 18, x4 + 18, wRow, out var k4, out var k5, out var k6, out var k7);
            var c0 = AvxVnni.MultiplyWideningAndAdd(Vector256<int>.Zero, bias, k0.AsSByte());
            var c1 = AvxVnni.MultiplyWideningAndAdd(Vector256<int>.Zero, bias, k4.AsSByte());
            c0 = AvxVnni.MultiplyWideningAndAdd(c0, bias, k1.AsSByte());
            c1 = AvxVnni.MultiplyWideningAndAdd(c1, bias, k5.AsSByte());
            c0 = AvxVnni.MultiplyWideningAndAdd(c0, bias, k2.AsSByte());
            c1 = AvxVnni.MultiplyWideningAndAdd(c1, bias, k6.AsSByte());
            c0 = AvxVnni.MultiplyWideningAndAdd(c0, bias, k3.AsSByte());
            c1 = AvxVnni.MultiplyWideningAndAdd(c1, bias, k7.AsSByte());
            var start = Vector256<int>.Zero - (c0 + c1);

            byte* yb = u + b * 34 + 2;
            o0 = Token(o0, start, k0, k1, k2, k3, k4, k5, k6, k7, yb, dx, dy[b], T == 1);
            if (T > 1)
                o1 = Token(o1, start, k0, k1, k2, k3, k4, k5, k6, k7, yb + aRow, dx, dy[sideStride + b], T == 1);
            if (T > 2)
                o2 = Token(o2, start, k0, k1, k2, k3, k4, k5, k6, k7, yb + 2 * aRow, dx, dy[2 * sideStride + b], T == 1);
            if (T > 3)
                o3 = Token(o3, start, k0, k1, k2, k3, k4, k5, k6, k7, yb + 3 * aRow, dx, dy[3 * sideStride + b], T == 1);
            if (T > 4)
                o4 = Token(o4, start, k0, k1, k2, k3, k4, k5, k6, k7, yb + 4 * aRow, dx, dy[4 * sideStride + b], T == 1);
            if (T > 5)
                o5 = Token(o5, start, k0, k1, k2, k3, k4, k5, k6, k7, yb + 5 * aRow, dx, dy[5 * sideStride + b], T == 1);
            if (T > 6)
                o6 = Token(o6, start, k0, k1, k2, k3, k4, k5, k6, k7, yb + 6 * aRow, dx, dy[6 * sideStride + b], T == 1);
            if (T > 7)
                o7 = Token(o7, start, k0, k1, k2, k3, k4, k5, k6, k7, yb + 7 * aRow, dx, dy[7 * sideStride + b], T == 1);
        }
        StoreTokens(output, ldOut, T, o0, o1, o2, o3, o4, o5, o6, o7);
    }

    /// <summary>
    /// Q4_K weights (8 rows; super-blocks of 256 values, 144 bytes) × <typeparamref name="TT"/> tokens of Q8_K
    /// activations (the side arrays are unused). Per super-block and row: sumi = Σ_sb sc_sb·Σ nib·y and
    /// summ = Σ_sb m_sb·(bsum pair), exact in int32 lanes, then acc + ((dy·d)·sumi − (dy·dmin)·summ) — the float
    /// steps of the scalar reference, so all Q4_K kernels agree bit for bit.
    /// </summary>
    public static void Q4_K<TT>(byte* w, long wRow, byte* a, int aRow, float* dy, int* sy, int sideStride, int n,
        float* output, int ldOut) where TT : struct, ITokenCount
    {
        int T = TT.Count;
        int nb = n / 256;
        var m4 = Vector256.Create((byte)0x0F);
        var o0 = Vector256<float>.Zero;
        var o1 = Vector256<float>.Zero;
        var o2 = Vector256<float>.Zero;
        var o3 = Vector256<float>.Zero;
        var sc = stackalloc Vector256<int>[8];
        byte* w4 = w + 4 * wRow;
        byte* next = w + 8 * wRow;
        for (int b = 0; b < nb; b++)
        {
            byte* x = w + b * 144;
            byte* x4 = w4 + b * 144;
            byte* p = next + b * 1152;
            for (int l = 0; l < 1152; l += 64)
                Sse.Prefetch0(p + l);
            var dx = Scales(x, x4, wRow);
            var dmin = Scales(x + 2, x4 + 2, wRow);
            // the 12 scale bytes of each row as 3 dwords per lane: 6-bit scales and mins as ScaleMinK4 unpacks them
            Transpose(x + 4, x4 + 4, wRow, out var q0, out var q1, out var q2, out _);
            var d0 = q0.AsInt32();
            var d1 = q1.AsInt32();
            var d2 = q2.AsInt32();
            var six = Vector256.Create(63);
            var fifteen = Vector256.Create(15);
            var three = Vector256.Create(3);
            Vector256<int> m0 = default, m1 = default, m2 = default, m3 = default;
            for (int j = 0; j < 4; j++)
            {
                int sh = 8 * j;
                sc[j] = Avx2.ShiftRightLogical(d0, (byte)sh) & six;
                sc[j + 4] = (Avx2.ShiftRightLogical(d2, (byte)sh) & fifteen) | Avx2.ShiftLeftLogical(Avx2.ShiftRightLogical(d0, (byte)(sh + 6)) & three, 4);
            }
            // mins packed as int16 pairs (m_2k | m_2k+1 << 16) for vpmaddwd with the bsum pairs
            m0 = Pack(Mlow(d1, 0, six), Mlow(d1, 8, six));
            m1 = Pack(Mlow(d1, 16, six), Mlow(d1, 24, six));
            m2 = Pack(Mhigh(d1, d2, 0, fifteen, three), Mhigh(d1, d2, 8, fifteen, three));
            m3 = Pack(Mhigh(d1, d2, 16, fifteen, three), Mhigh(d1, d2, 24, fifteen, three));

            var i0 = Vector256<int>.Zero;
            var i1 = Vector256<int>.Zero;
            var i2 = Vector256<int>.Zero;
            var i3 = Vector256<int>.Zero;
            for (int j = 0; j < 4; j++)
            {
                Transpose(x + 16 + 32 * j, x4 + 16 + 32 * j, wRow, out var k0, out var k1, out var k2, out var k3);
                Transpose(x + 32 + 32 * j, x4 + 32 + 32 * j, wRow, out var k4, out var k5, out var k6, out var k7);
                var l0 = k0 & m4;
                var l1 = k1 & m4;
                var l2 = k2 & m4;
                var l3 = k3 & m4;
                var l4 = k4 & m4;
                var l5 = k5 & m4;
                var l6 = k6 & m4;
                var l7 = k7 & m4;
                var h0 = Avx2.ShiftRightLogical(k0.AsUInt16(), 4).AsByte() & m4;
                var h1 = Avx2.ShiftRightLogical(k1.AsUInt16(), 4).AsByte() & m4;
                var h2 = Avx2.ShiftRightLogical(k2.AsUInt16(), 4).AsByte() & m4;
                var h3 = Avx2.ShiftRightLogical(k3.AsUInt16(), 4).AsByte() & m4;
                var h4 = Avx2.ShiftRightLogical(k4.AsUInt16(), 4).AsByte() & m4;
                var h5 = Avx2.ShiftRightLogical(k5.AsUInt16(), 4).AsByte() & m4;
                var h6 = Avx2.ShiftRightLogical(k6.AsUInt16(), 4).AsByte() & m4;
                var h7 = Avx2.ShiftRightLogical(k7.AsUInt16(), 4).AsByte() & m4;
                var scl = sc[2 * j];
                var sch = sc[2 * j + 1];
                byte* yb = a + (long)b * 292 + 4 + 64 * j;
                i0 = Chunk(i0, l0, l1, l2, l3, l4, l5, l6, l7, h0, h1, h2, h3, h4, h5, h6, h7, scl, sch, yb, T == 1);
                if (T > 1)
                    i1 = Chunk(i1, l0, l1, l2, l3, l4, l5, l6, l7, h0, h1, h2, h3, h4, h5, h6, h7, scl, sch, yb + aRow, T == 1);
                if (T > 2)
                    i2 = Chunk(i2, l0, l1, l2, l3, l4, l5, l6, l7, h0, h1, h2, h3, h4, h5, h6, h7, scl, sch, yb + 2 * aRow, T == 1);
                if (T > 3)
                    i3 = Chunk(i3, l0, l1, l2, l3, l4, l5, l6, l7, h0, h1, h2, h3, h4, h5, h6, h7, scl, sch, yb + 3 * aRow, T == 1);
            }
            byte* ya = a + (long)b * 292;
            o0 = KFinish(o0, i0, ya, m0, m1, m2, m3, dx, dmin);
            if (T > 1)
                o1 = KFinish(o1, i1, ya + aRow, m0, m1, m2, m3, dx, dmin);
            if (T > 2)
                o2 = KFinish(o2, i2, ya + 2 * aRow, m0, m1, m2, m3, dx, dmin);
            if (T > 3)
                o3 = KFinish(o3, i3, ya + 3 * aRow, m0, m1, m2, m3, dx, dmin);
        }
        StoreTokens(output, ldOut, T, o0, o1, o2, o3, default, default, default, default);
    }

    /// <summary>
    /// Q6_K weights (8 rows; super-blocks of 256 values, 210 bytes) × <typeparamref name="TT"/> tokens of Q8_K
    /// activations. The 6-bit values are used unsigned (0..63) and the −32 comes back through the bsums:
    /// sumi = Σ_sb sc_sb·Σ q·y − 32·Σ_sb sc_sb·bsum_sb, exact in int32 lanes; then acc + (dy·d)·sumi, the float
    /// step of the scalar reference.
    /// </summary>
    public static void Q6_K<TT>(byte* w, long wRow, byte* a, int aRow, float* dy, int* sy, int sideStride, int n,
        float* output, int ldOut) where TT : struct, ITokenCount
    {
        int T = TT.Count;
        int nb = n / 256;
        var m4 = Vector256.Create((byte)0x0F);
        var o0 = Vector256<float>.Zero;
        var o1 = Vector256<float>.Zero;
        var o2 = Vector256<float>.Zero;
        var o3 = Vector256<float>.Zero;
        var sc = stackalloc Vector256<int>[16];
        var scp = stackalloc Vector256<int>[8];
        byte* w4 = w + 4 * wRow;
        byte* next = w + 8 * wRow;
        for (int b = 0; b < nb; b++)
        {
            byte* x = w + b * 210;
            byte* x4 = w4 + b * 210;
            byte* p = next + b * 1680;
            for (int l = 0; l < 1680; l += 64)
                Sse.Prefetch0(p + l);
            var dx = Scales(x + 208, x4 + 208, wRow);
            // 16 int8 scales per row: dword j of lane r = scales 4j..4j+3 of row r, sign-extended one by one
            Transpose(x + 192, x4 + 192, wRow, out var s0, out var s1, out var s2, out var s3);
            SignedBytes(s0.AsInt32(), sc);
            SignedBytes(s1.AsInt32(), sc + 4);
            SignedBytes(s2.AsInt32(), sc + 8);
            SignedBytes(s3.AsInt32(), sc + 12);
            for (int k = 0; k < 8; k++)
                scp[k] = (sc[2 * k] & Vector256.Create(0xFFFF)) | Avx2.ShiftLeftLogical(sc[2 * k + 1], 16);

            var i0 = Vector256<int>.Zero;
            var i1 = Vector256<int>.Zero;
            var i2 = Vector256<int>.Zero;
            var i3 = Vector256<int>.Zero;
            for (int h = 0; h < 2; h++)
            {
                byte* ql = x + 64 * h;
                byte* ql4 = x4 + 64 * h;
                byte* qh = x + 128 + 32 * h;
                byte* qh4 = x4 + 128 + 32 * h;
                Transpose(qh, qh4, wRow, out var g0, out var g1, out var g2, out var g3);
                Transpose(qh + 16, qh4 + 16, wRow, out var g4, out var g5, out var g6, out var g7);
                // ql bytes 0..31 hold k = 0 (low nibbles) and k = 2 (high); bytes 32..63 hold k = 1 and k = 3
                byte* yb = a + (long)b * 292 + 4 + 128 * h;
                Transpose(ql, ql4, wRow, out var a0, out var a1, out var a2, out var a3);
                Transpose(ql + 16, ql4 + 16, wRow, out var a4, out var a5, out var a6, out var a7);
                Q6Pass<TT, K0>(ref i0, ref i1, ref i2, ref i3, a0, a1, a2, a3, a4, a5, a6, a7, g0, g1, g2, g3, g4, g5, g6, g7, sc + 8 * h, yb, aRow);
                Q6Pass<TT, K2>(ref i0, ref i1, ref i2, ref i3, a0, a1, a2, a3, a4, a5, a6, a7, g0, g1, g2, g3, g4, g5, g6, g7, sc + 8 * h, yb, aRow);
                Transpose(ql + 32, ql4 + 32, wRow, out a0, out a1, out a2, out a3);
                Transpose(ql + 48, ql4 + 48, wRow, out a4, out a5, out a6, out a7);
                Q6Pass<TT, K1>(ref i0, ref i1, ref i2, ref i3, a0, a1, a2, a3, a4, a5, a6, a7, g0, g1, g2, g3, g4, g5, g6, g7, sc + 8 * h, yb, aRow);
                Q6Pass<TT, K3>(ref i0, ref i1, ref i2, ref i3, a0, a1, a2, a3, a4, a5, a6, a7, g0, g1, g2, g3, g4, g5, g6, g7, sc + 8 * h, yb, aRow);
            }
            byte* ya = a + (long)b * 292;
            o0 = Q6Finish(o0, i0, ya, scp, dx);
            if (T > 1)
                o1 = Q6Finish(o1, i1, ya + aRow, scp, dx);
            if (T > 2)
                o2 = Q6Finish(o2, i2, ya + 2 * aRow, scp, dx);
            if (T > 3)
                o3 = Q6Finish(o3, i3, ya + 3 * aRow, scp, dx);
        }
        StoreTokens(output, ldOut, T, o0, o1, o2, o3, default, default, default, default);
    }

    /// <summary>The 4 bytes of each lane sign-extended to int32: out[j] lane r = (sbyte)byte j of d lane r.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SignedBytes(Vector256<int> d, Vector256<int>* output)
    {
        output[0] = Avx2.ShiftRightArithmetic(Avx2.ShiftLeftLogical(d, 24), 24);
        output[1] = Avx2.ShiftRightArithmetic(Avx2.ShiftLeftLogical(d, 16), 24);
        output[2] = Avx2.ShiftRightArithmetic(Avx2.ShiftLeftLogical(d, 8), 24);
        output[3] = Avx2.ShiftRightArithmetic(d, 24);
    }

    /// <summary>
    /// The 32 values of quarter <typeparamref name="TK"/> (k) of a 128-value half for every token: 6-bit values
    /// (unsigned) from the low (k &lt; 2) or high nibble of ql, with bits 2k..2k+1 of qh moved straight to bits 4-5
    /// (one 16-bit shift by 4 − 2k, or right by 2 for k = 3; bits a shift carries across bytes are masked off).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Q6Pass<TT, TK>(ref Vector256<int> i0, ref Vector256<int> i1, ref Vector256<int> i2, ref Vector256<int> i3,
        Vector256<byte> a0, Vector256<byte> a1, Vector256<byte> a2, Vector256<byte> a3, Vector256<byte> a4, Vector256<byte> a5,
        Vector256<byte> a6, Vector256<byte> a7, Vector256<byte> g0, Vector256<byte> g1, Vector256<byte> g2, Vector256<byte> g3,
        Vector256<byte> g4, Vector256<byte> g5, Vector256<byte> g6, Vector256<byte> g7, Vector256<int>* sc, byte* y, int aRow)
        where TT : struct, ITokenCount where TK : struct, ITokenCount
    {
        int T = TT.Count, k = TK.Count;
        var q0 = Six(a0, g0, k);
        var q1 = Six(a1, g1, k);
        var q2 = Six(a2, g2, k);
        var q3 = Six(a3, g3, k);
        var q4 = Six(a4, g4, k);
        var q5 = Six(a5, g5, k);
        var q6 = Six(a6, g6, k);
        var q7 = Six(a7, g7, k);
        var sca = sc[2 * k];
        var scb = sc[2 * k + 1];
        byte* yk = y + 32 * k;
        i0 = Sixteen(i0, q0, q1, q2, q3, q4, q5, q6, q7, sca, scb, yk);
        if (T > 1)
            i1 = Sixteen(i1, q0, q1, q2, q3, q4, q5, q6, q7, sca, scb, yk + aRow);
        if (T > 2)
            i2 = Sixteen(i2, q0, q1, q2, q3, q4, q5, q6, q7, sca, scb, yk + 2 * aRow);
        if (T > 3)
            i3 = Sixteen(i3, q0, q1, q2, q3, q4, q5, q6, q7, sca, scb, yk + 3 * aRow);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<byte> Six(Vector256<byte> ql, Vector256<byte> qh, int k)
    {
        var low = k < 2 ? ql & Vector256.Create((byte)0x0F) : Avx2.ShiftRightLogical(ql.AsUInt16(), 4).AsByte() & Vector256.Create((byte)0x0F);
        var high = k switch
        {
            0 => Avx2.ShiftLeftLogical(qh.AsUInt16(), 4).AsByte(),
            1 => Avx2.ShiftLeftLogical(qh.AsUInt16(), 2).AsByte(),
            2 => qh,
            _ => Avx2.ShiftRightLogical(qh.AsUInt16(), 2).AsByte(),
        };
        return low | (high & Vector256.Create((byte)0x30));
    }

    /// <summary>One token, 32 values (two 16-value sub-blocks): sumi += sc_a·Σ q·y (dwords 0-3) + sc_b·Σ q·y (dwords 4-7).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Sixteen(Vector256<int> sumi, Vector256<byte> q0, Vector256<byte> q1, Vector256<byte> q2,
        Vector256<byte> q3, Vector256<byte> q4, Vector256<byte> q5, Vector256<byte> q6, Vector256<byte> q7,
        Vector256<int> sca, Vector256<int> scb, byte* y)
    {
        var a = AvxVnni.MultiplyWideningAndAdd(Vector256<int>.Zero, q0, Vector256.Create(*(int*)y).AsSByte());
        var c = AvxVnni.MultiplyWideningAndAdd(Vector256<int>.Zero, q1, Vector256.Create(*(int*)(y + 4)).AsSByte());
        var b = AvxVnni.MultiplyWideningAndAdd(Vector256<int>.Zero, q4, Vector256.Create(*(int*)(y + 16)).AsSByte());
        var d = AvxVnni.MultiplyWideningAndAdd(Vector256<int>.Zero, q5, Vector256.Create(*(int*)(y + 20)).AsSByte());
        a = AvxVnni.MultiplyWideningAndAdd(a, q2, Vector256.Create(*(int*)(y + 8)).AsSByte());
        c = AvxVnni.MultiplyWideningAndAdd(c, q3, Vector256.Create(*(int*)(y + 12)).AsSByte());
        b = AvxVnni.MultiplyWideningAndAdd(b, q6, Vector256.Create(*(int*)(y + 24)).AsSByte());
        d = AvxVnni.MultiplyWideningAndAdd(d, q7, Vector256.Create(*(int*)(y + 28)).AsSByte());
        return sumi + Avx2.MultiplyLow(a + c, sca) + Avx2.MultiplyLow(b + d, scb);
    }

    /// <summary>A Q6_K super-block's end for one token: sumi − 32·Σ sc·bsum, then acc + (dy·d)·sumi.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Q6Finish(Vector256<float> acc, Vector256<int> sumi, byte* y, Vector256<int>* scp, Vector256<float> dx)
    {
        // dword k of the bsums = (bsum 2k, bsum 2k+1) as int16, multiplied with the (sc 2k, sc 2k+1) pairs by vpmaddwd
        var lo = Vector256.Create(Sse2.LoadVector128((int*)(y + 260)), Sse2.LoadVector128((int*)(y + 260))).AsInt32();
        var hi = Vector256.Create(Sse2.LoadVector128((int*)(y + 276)), Sse2.LoadVector128((int*)(y + 276))).AsInt32();
        var corr = Avx2.MultiplyAddAdjacent(scp[0].AsInt16(), Avx2.Shuffle(lo, 0x00).AsInt16())
            + Avx2.MultiplyAddAdjacent(scp[1].AsInt16(), Avx2.Shuffle(lo, 0x55).AsInt16())
            + Avx2.MultiplyAddAdjacent(scp[2].AsInt16(), Avx2.Shuffle(lo, 0xAA).AsInt16())
            + Avx2.MultiplyAddAdjacent(scp[3].AsInt16(), Avx2.Shuffle(lo, 0xFF).AsInt16())
            + Avx2.MultiplyAddAdjacent(scp[4].AsInt16(), Avx2.Shuffle(hi, 0x00).AsInt16())
            + Avx2.MultiplyAddAdjacent(scp[5].AsInt16(), Avx2.Shuffle(hi, 0x55).AsInt16())
            + Avx2.MultiplyAddAdjacent(scp[6].AsInt16(), Avx2.Shuffle(hi, 0xAA).AsInt16())
            + Avx2.MultiplyAddAdjacent(scp[7].AsInt16(), Avx2.Shuffle(hi, 0xFF).AsInt16());
        var total = sumi - Avx2.ShiftLeftLogical(corr, 5);
        return acc + (Vector256.Create(*(float*)y) * dx) * Avx.ConvertToVector256Single(total);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Mlow(Vector256<int> d1, [ConstantExpected] byte sh, Vector256<int> six) =>
        Avx2.ShiftRightLogical(d1, sh) & six;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Mhigh(Vector256<int> d1, Vector256<int> d2, [ConstantExpected] byte sh, Vector256<int> fifteen, Vector256<int> three) =>
        (Avx2.ShiftRightLogical(d2, (byte)(sh + 4)) & fifteen) | Avx2.ShiftLeftLogical(Avx2.ShiftRightLogical(d1, (byte)(sh + 6)) & three, 4);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Pack(Vector256<int> lo, Vector256<int> hi) => lo | Avx2.ShiftLeftLogical(hi, 16);

    /// <summary>One token, one 64-value chunk (sub-blocks 2j, 2j+1): sumi += sc_lo·Σ l·y + sc_hi·Σ h·y per lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Chunk(Vector256<int> sumi, Vector256<byte> l0, Vector256<byte> l1, Vector256<byte> l2,
        Vector256<byte> l3, Vector256<byte> l4, Vector256<byte> l5, Vector256<byte> l6, Vector256<byte> l7,
        Vector256<byte> h0, Vector256<byte> h1, Vector256<byte> h2, Vector256<byte> h3, Vector256<byte> h4,
        Vector256<byte> h5, Vector256<byte> h6, Vector256<byte> h7, Vector256<int> scl, Vector256<int> sch, byte* y, bool chains)
    {
        if (!chains)
        {
            // several tokens per call: one chain per sub-block
            var lo = AvxVnni.MultiplyWideningAndAdd(Vector256<int>.Zero, l0, Vector256.Create(*(int*)y).AsSByte());
            var hi = AvxVnni.MultiplyWideningAndAdd(Vector256<int>.Zero, h0, Vector256.Create(*(int*)(y + 32)).AsSByte());
            lo = AvxVnni.MultiplyWideningAndAdd(lo, l1, Vector256.Create(*(int*)(y + 4)).AsSByte());
            hi = AvxVnni.MultiplyWideningAndAdd(hi, h1, Vector256.Create(*(int*)(y + 36)).AsSByte());
            lo = AvxVnni.MultiplyWideningAndAdd(lo, l2, Vector256.Create(*(int*)(y + 8)).AsSByte());
            hi = AvxVnni.MultiplyWideningAndAdd(hi, h2, Vector256.Create(*(int*)(y + 40)).AsSByte());
            lo = AvxVnni.MultiplyWideningAndAdd(lo, l3, Vector256.Create(*(int*)(y + 12)).AsSByte());
            hi = AvxVnni.MultiplyWideningAndAdd(hi, h3, Vector256.Create(*(int*)(y + 44)).AsSByte());
            lo = AvxVnni.MultiplyWideningAndAdd(lo, l4, Vector256.Create(*(int*)(y + 16)).AsSByte());
            hi = AvxVnni.MultiplyWideningAndAdd(hi, h4, Vector256.Create(*(int*)(y + 48)).AsSByte());
            lo = AvxVnni.MultiplyWideningAndAdd(lo, l5, Vector256.Create(*(int*)(y + 20)).AsSByte());
            hi = AvxVnni.MultiplyWideningAndAdd(hi, h5, Vector256.Create(*(int*)(y + 52)).AsSByte());
            lo = AvxVnni.MultiplyWideningAndAdd(lo, l6, Vector256.Create(*(int*)(y + 24)).AsSByte());
            hi = AvxVnni.MultiplyWideningAndAdd(hi, h6, Vector256.Create(*(int*)(y + 56)).AsSByte());
            lo = AvxVnni.MultiplyWideningAndAdd(lo, l7, Vector256.Create(*(int*)(y + 28)).AsSByte());
            hi = AvxVnni.MultiplyWideningAndAdd(hi, h7, Vector256.Create(*(int*)(y + 60)).AsSByte());
            return sumi + Avx2.MultiplyLow(lo, scl) + Avx2.MultiplyLow(hi, sch);
        }
        var a = AvxVnni.MultiplyWideningAndAdd(Vector256<int>.Zero, l0, Vector256.Create(*(int*)y).AsSByte());
        var b = AvxVnni.MultiplyWideningAndAdd(Vector256<int>.Zero, l4, Vector256.Create(*(int*)(y + 16)).AsSByte());
        var c = AvxVnni.MultiplyWideningAndAdd(Vector256<int>.Zero, h0, Vector256.Create(*(int*)(y + 32)).AsSByte());
        var d = AvxVnni.MultiplyWideningAndAdd(Vector256<int>.Zero, h4, Vector256.Create(*(int*)(y + 48)).AsSByte());
        a = AvxVnni.MultiplyWideningAndAdd(a, l1, Vector256.Create(*(int*)(y + 4)).AsSByte());
        b = AvxVnni.MultiplyWideningAndAdd(b, l5, Vector256.Create(*(int*)(y + 20)).AsSByte());
        c = AvxVnni.MultiplyWideningAndAdd(c, h1, Vector256.Create(*(int*)(y + 36)).AsSByte());
        d = AvxVnni.MultiplyWideningAndAdd(d, h5, Vector256.Create(*(int*)(y + 52)).AsSByte());
        a = AvxVnni.MultiplyWideningAndAdd(a, l2, Vector256.Create(*(int*)(y + 8)).AsSByte());
        b = AvxVnni.MultiplyWideningAndAdd(b, l6, Vector256.Create(*(int*)(y + 24)).AsSByte());
        c = AvxVnni.MultiplyWideningAndAdd(c, h2, Vector256.Create(*(int*)(y + 40)).AsSByte());
        d = AvxVnni.MultiplyWideningAndAdd(d, h6, Vector256.Create(*(int*)(y + 56)).AsSByte());
        a = AvxVnni.MultiplyWideningAndAdd(a, l3, Vector256.Create(*(int*)(y + 12)).AsSByte());
        b = AvxVnni.MultiplyWideningAndAdd(b, l7, Vector256.Create(*(int*)(y + 28)).AsSByte());
        c = AvxVnni.MultiplyWideningAndAdd(c, h3, Vector256.Create(*(int*)(y + 44)).AsSByte());
        d = AvxVnni.MultiplyWideningAndAdd(d, h7, Vector256.Create(*(int*)(y + 60)).AsSByte());
        return sumi + Avx2.MultiplyLow(a + b, scl) + Avx2.MultiplyLow(c + d, sch);
    }

    /// <summary>A super-block's float step for one token: summ from the bsum pairs, then acc + ((dy·d)·sumi − (dy·dmin)·summ).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> KFinish(Vector256<float> acc, Vector256<int> sumi, byte* y, Vector256<int> m0,
        Vector256<int> m1, Vector256<int> m2, Vector256<int> m3, Vector256<float> dx, Vector256<float> dmin)
    {
        // bsums (16 int16 at y + 260) summed in pairs: int16 k = bsum 2k + bsum 2k+1, the 32 values of sub-block k
        var pairs = Ssse3.HorizontalAdd(Sse2.LoadVector128((short*)(y + 260)), Sse2.LoadVector128((short*)(y + 276))).AsInt32();
        var both = Vector256.Create(pairs, pairs);
        var summ = Avx2.MultiplyAddAdjacent(m0.AsInt16(), Avx2.Shuffle(both, 0x00).AsInt16())
            + Avx2.MultiplyAddAdjacent(m1.AsInt16(), Avx2.Shuffle(both, 0x55).AsInt16())
            + Avx2.MultiplyAddAdjacent(m2.AsInt16(), Avx2.Shuffle(both, 0xAA).AsInt16())
            + Avx2.MultiplyAddAdjacent(m3.AsInt16(), Avx2.Shuffle(both, 0xFF).AsInt16());
        var dy = Vector256.Create(*(float*)y);
        return acc + ((dy * dx) * Avx.ConvertToVector256Single(sumi) - (dy * dmin) * Avx.ConvertToVector256Single(summ));
    }

    /// <summary>Stores the first <paramref name="T"/> tokens' 8 row results, token t at output + t·ldOut.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreTokens(float* output, int ldOut, int T, Vector256<float> o0, Vector256<float> o1,
        Vector256<float> o2, Vector256<float> o3, Vector256<float> o4, Vector256<float> o5, Vector256<float> o6, Vector256<float> o7)
    {
        Avx.Store(output, o0);
        if (T > 1)
            Avx.Store(output + ldOut, o1);
        if (T > 2)
            Avx.Store(output + 2 * ldOut, o2);
        if (T > 3)
            Avx.Store(output + 3 * ldOut, o3);
        if (T > 4)
            Avx.Store(output + 4 * ldOut, o4);
        if (T > 5)
            Avx.Store(output + 5 * ldOut, o5);
        if (T > 6)
            Avx.Store(output + 6 * ldOut, o6);
        if (T > 7)
            Avx.Store(output + 7 * ldOut, o7);
    }

    /// <summary>The d (half at the block start) of rows 0-3 at x + r·wRow and rows 4-7 at x4 + r·wRow, as floats.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Scales(byte* x, byte* x4, long wRow) =>
        HalfVectors.ToSingle(Vector256.Create(
            Vector128.Create((uint)*(ushort*)x, *(ushort*)(x + wRow), *(ushort*)(x + 2 * wRow), *(ushort*)(x + 3 * wRow)),
            Vector128.Create((uint)*(ushort*)x4, *(ushort*)(x4 + wRow), *(ushort*)(x4 + 2 * wRow), *(ushort*)(x4 + 3 * wRow))));

    /// <summary>
    /// 16 bytes of each of 8 rows (rows 0-3 at x + r·wRow, rows 4-7 at x4 + r·wRow) transposed so that lane r of
    /// k_j holds dword j of row r: rows r and r+4 side by side, then a 4×4 dword transpose in each 128-bit half.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose(byte* x, byte* x4, long wRow, out Vector256<byte> k0, out Vector256<byte> k1,
        out Vector256<byte> k2, out Vector256<byte> k3)
    {
        var y0 = Vector256.Create(Sse2.LoadVector128(x), Sse2.LoadVector128(x4)).AsInt32();
        var y1 = Vector256.Create(Sse2.LoadVector128(x + wRow), Sse2.LoadVector128(x4 + wRow)).AsInt32();
        var y2 = Vector256.Create(Sse2.LoadVector128(x + 2 * wRow), Sse2.LoadVector128(x4 + 2 * wRow)).AsInt32();
        var y3 = Vector256.Create(Sse2.LoadVector128(x + 3 * wRow), Sse2.LoadVector128(x4 + 3 * wRow)).AsInt32();
        var t0 = Avx2.UnpackLow(y0, y1).AsInt64();
        var t1 = Avx2.UnpackHigh(y0, y1).AsInt64();
        var t2 = Avx2.UnpackLow(y2, y3).AsInt64();
        var t3 = Avx2.UnpackHigh(y2, y3).AsInt64();
        k0 = Avx2.UnpackLow(t0, t2).AsByte();
        k1 = Avx2.UnpackHigh(t0, t2).AsByte();
        k2 = Avx2.UnpackLow(t1, t3).AsByte();
        k3 = Avx2.UnpackHigh(t1, t3).AsByte();
    }

    /// <summary>One token's Q8_0 block: lane r = Σ(y+128)·w_r − 128·Σw_r, then acc_r = fma(S_r, dx_r·dy, acc_r).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Token(Vector256<float> acc, Vector256<int> start, Vector256<byte> k0, Vector256<byte> k1,
        Vector256<byte> k2, Vector256<byte> k3, Vector256<byte> k4, Vector256<byte> k5, Vector256<byte> k6, Vector256<byte> k7,
        byte* u, Vector256<float> dx, float dy, bool chains)
    {
        if (!chains)
        {
            var c = AvxVnni.MultiplyWideningAndAdd(start, Vector256.Create(*(int*)u).AsByte(), k0.AsSByte());
            c = AvxVnni.MultiplyWideningAndAdd(c, Vector256.Create(*(int*)(u + 4)).AsByte(), k1.AsSByte());
            c = AvxVnni.MultiplyWideningAndAdd(c, Vector256.Create(*(int*)(u + 8)).AsByte(), k2.AsSByte());
            c = AvxVnni.MultiplyWideningAndAdd(c, Vector256.Create(*(int*)(u + 12)).AsByte(), k3.AsSByte());
            c = AvxVnni.MultiplyWideningAndAdd(c, Vector256.Create(*(int*)(u + 16)).AsByte(), k4.AsSByte());
            c = AvxVnni.MultiplyWideningAndAdd(c, Vector256.Create(*(int*)(u + 20)).AsByte(), k5.AsSByte());
            c = AvxVnni.MultiplyWideningAndAdd(c, Vector256.Create(*(int*)(u + 24)).AsByte(), k6.AsSByte());
            c = AvxVnni.MultiplyWideningAndAdd(c, Vector256.Create(*(int*)(u + 28)).AsByte(), k7.AsSByte());
            return Fma.MultiplyAdd(Avx.ConvertToVector256Single(c), dx * Vector256.Create(dy), acc);
        }
        var s = AvxVnni.MultiplyWideningAndAdd(start, Vector256.Create(*(int*)u).AsByte(), k0.AsSByte());
        var t = AvxVnni.MultiplyWideningAndAdd(Vector256<int>.Zero, Vector256.Create(*(int*)(u + 4)).AsByte(), k1.AsSByte());
        var v = AvxVnni.MultiplyWideningAndAdd(Vector256<int>.Zero, Vector256.Create(*(int*)(u + 16)).AsByte(), k4.AsSByte());
        var z = AvxVnni.MultiplyWideningAndAdd(Vector256<int>.Zero, Vector256.Create(*(int*)(u + 20)).AsByte(), k5.AsSByte());
        s = AvxVnni.MultiplyWideningAndAdd(s, Vector256.Create(*(int*)(u + 8)).AsByte(), k2.AsSByte());
        t = AvxVnni.MultiplyWideningAndAdd(t, Vector256.Create(*(int*)(u + 12)).AsByte(), k3.AsSByte());
        v = AvxVnni.MultiplyWideningAndAdd(v, Vector256.Create(*(int*)(u + 24)).AsByte(), k6.AsSByte());
        z = AvxVnni.MultiplyWideningAndAdd(z, Vector256.Create(*(int*)(u + 28)).AsByte(), k7.AsSByte());
        s = (s + t) + (v + z);
        return Fma.MultiplyAdd(Avx.ConvertToVector256Single(s), dx * Vector256.Create(dy), acc);
    }

    /// <summary>One token's block: S_r = Σ nib·y − 8·Σy exactly in lane r, then acc_r = fma(S_r, dx_r·dy, acc_r).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Token(Vector256<float> acc, Vector256<byte> l0, Vector256<byte> l1, Vector256<byte> l2,
        Vector256<byte> l3, Vector256<byte> h0, Vector256<byte> h1, Vector256<byte> h2, Vector256<byte> h3, byte* y,
        Vector256<float> dx, float dy, int sy, bool chains)
    {
        if (!chains)
        {
            // several tokens per call: their independent chains already hide vpdpbusd's latency
            var c = AvxVnni.MultiplyWideningAndAdd(Vector256.Create(-8 * sy), l0, Vector256.Create(*(int*)y).AsSByte());
            c = AvxVnni.MultiplyWideningAndAdd(c, l1, Vector256.Create(*(int*)(y + 4)).AsSByte());
            c = AvxVnni.MultiplyWideningAndAdd(c, l2, Vector256.Create(*(int*)(y + 8)).AsSByte());
            c = AvxVnni.MultiplyWideningAndAdd(c, l3, Vector256.Create(*(int*)(y + 12)).AsSByte());
            c = AvxVnni.MultiplyWideningAndAdd(c, h0, Vector256.Create(*(int*)(y + 16)).AsSByte());
            c = AvxVnni.MultiplyWideningAndAdd(c, h1, Vector256.Create(*(int*)(y + 20)).AsSByte());
            c = AvxVnni.MultiplyWideningAndAdd(c, h2, Vector256.Create(*(int*)(y + 24)).AsSByte());
            c = AvxVnni.MultiplyWideningAndAdd(c, h3, Vector256.Create(*(int*)(y + 28)).AsSByte());
            return Fma.MultiplyAdd(Avx.ConvertToVector256Single(c), dx * Vector256.Create(dy), acc);
        }
        // one token: four short dependency chains (vpdpbusd's latency would otherwise serialize the eight steps)
        var s = AvxVnni.MultiplyWideningAndAdd(Vector256.Create(-8 * sy), l0, Vector256.Create(*(int*)y).AsSByte());
        var u = AvxVnni.MultiplyWideningAndAdd(Vector256<int>.Zero, l1, Vector256.Create(*(int*)(y + 4)).AsSByte());
        var v = AvxVnni.MultiplyWideningAndAdd(Vector256<int>.Zero, h0, Vector256.Create(*(int*)(y + 16)).AsSByte());
        var z = AvxVnni.MultiplyWideningAndAdd(Vector256<int>.Zero, h1, Vector256.Create(*(int*)(y + 20)).AsSByte());
        s = AvxVnni.MultiplyWideningAndAdd(s, l2, Vector256.Create(*(int*)(y + 8)).AsSByte());
        u = AvxVnni.MultiplyWideningAndAdd(u, l3, Vector256.Create(*(int*)(y + 12)).AsSByte());
        v = AvxVnni.MultiplyWideningAndAdd(v, h2, Vector256.Create(*(int*)(y + 24)).AsSByte());
        z = AvxVnni.MultiplyWideningAndAdd(z, h3, Vector256.Create(*(int*)(y + 28)).AsSByte());
        s = (s + u) + (v + z);
        return Fma.MultiplyAdd(Avx.ConvertToVector256Single(s), dx * Vector256.Create(dy), acc);
    }
}
