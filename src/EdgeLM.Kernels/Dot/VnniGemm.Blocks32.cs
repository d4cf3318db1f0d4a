using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using EdgeLM.Kernels.Cpu;

namespace EdgeLM.Kernels.Dot;

/// <summary>
/// A 32-value block type that the multi-row × multi-token kernel (<see cref="VnniGemm"/>) can multiply: its weights
/// as 32 signed bytes, to be multiplied by <c>vpdpbusd</c> with the activations offset to y + 128 (unsigned);
/// the 128·Σw that this adds is taken back by starting the accumulator at −128·Σw (per lane), so every
/// (row, token) block product is one instruction and the weight unpacking is shared by the tile's tokens.
/// </summary>
internal unsafe interface IGemmBlock32 : IBlock32
{
    static abstract Vector256<sbyte> Signed(byte* x);
}

internal readonly unsafe partial struct Q4_0Block : IGemmBlock32
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<sbyte> Signed(byte* x) => Avx2.Subtract(Block32Bits.Nibbles(x + 2), Vector256.Create((byte)8)).AsSByte();
}

internal readonly unsafe partial struct Q8_0Block : IGemmBlock32
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<sbyte> Signed(byte* x) => Avx.LoadVector256((sbyte*)(x + 2));
}

/// <summary>
/// Register-tiled matrix kernels for prompt processing: 2 weight rows × 4 tokens per inner loop. Each weight block
/// is unpacked once for 4 tokens and each activation block loaded once for 2 rows. The float steps are those of
/// <see cref="Avx2Dot{TProducts}"/>'s row kernel (4-block groups reduced by <c>vphaddd</c> to 4 exact block sums,
/// FMA-accumulated with their d_x·d_y into lanes b mod 4, then the block tail), so every output equals the row
/// kernel's result bit for bit.
/// </summary>
internal static unsafe class VnniGemm
{
    /// <summary>
    /// out[t·ldOut + r] for rows r0, r0+1 (at x, x + xRow) and tokens t0..t0+3 (Q8_0 blocks at y + k·yRow; the same
    /// blocks with every int8 XOR 0x80, i.e. y + 128 as unsigned, at <paramref name="offsetY"/> bytes further).
    /// </summary>
    public static void Q4_0(byte* x, long xRow, byte* y, int yRow, int n, float* output, int ldOut, nint offsetY) =>
        Tile2x4<Q4_0Block>(x, xRow, y, yRow, n, output, ldOut, offsetY);

    public static void Q8_0(byte* x, long xRow, byte* y, int yRow, int n, float* output, int ldOut, nint offsetY) =>
        Tile2x4<Q8_0Block>(x, xRow, y, yRow, n, output, ldOut, offsetY);

    /// <summary>−128·Σw per lane: the accumulator start that cancels the +128 offset of the activations.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Offset(Vector256<sbyte> w) =>
        Avx2.Subtract(Vector256<int>.Zero, AvxVnni.MultiplyWideningAndAdd(Vector256<int>.Zero, Vector256.Create((byte)0x80), w));

    /// <summary>One row's 4 blocks with one token's 4 blocks: hadd-reduced, low half lanes 0-3, high half lanes 4-7.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Quad(Vector256<sbyte> w0, Vector256<sbyte> w1, Vector256<sbyte> w2, Vector256<sbyte> w3,
        Vector256<int> i0, Vector256<int> i1, Vector256<int> i2, Vector256<int> i3, byte* u, int ys)
    {
        var s0 = AvxVnni.MultiplyWideningAndAdd(i0, Avx.LoadVector256(u + 2), w0);
        var s1 = AvxVnni.MultiplyWideningAndAdd(i1, Avx.LoadVector256(u + ys + 2), w1);
        var s2 = AvxVnni.MultiplyWideningAndAdd(i2, Avx.LoadVector256(u + 2 * ys + 2), w2);
        var s3 = AvxVnni.MultiplyWideningAndAdd(i3, Avx.LoadVector256(u + 3 * ys + 2), w3);
        return Avx2.HorizontalAdd(Avx2.HorizontalAdd(s0, s1), Avx2.HorizontalAdd(s2, s3));
    }

    /// <summary>[a's 4 block sums | b's 4 block sums] as floats from two hadd-reduced vectors (halves = lanes 0-3 / 4-7).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Pair(Vector256<int> a, Vector256<int> b) =>
        Avx.ConvertToVector256Single(Avx2.Add(Avx2.Permute2x128(a, b, 0x20), Avx2.Permute2x128(a, b, 0x31)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Scales(byte* p, long stride, byte* q, long qStride) =>
        HalfVectors.ToSingle(Vector256.Create(
            Vector128.Create((uint)*(ushort*)p, *(ushort*)(p + stride), *(ushort*)(p + 2 * stride), *(ushort*)(p + 3 * stride)),
            Vector128.Create((uint)*(ushort*)q, *(ushort*)(q + qStride), *(ushort*)(q + 2 * qStride), *(ushort*)(q + 3 * qStride))));

    private static void Tile2x4<TB>(byte* x, long xRow, byte* y, int yRow, int n, float* output, int ldOut, nint offsetY)
        where TB : struct, IGemmBlock32
    {
        int xs = TB.WeightBytes;
        const int ys = 34;
        byte* x0 = x, x1 = x + xRow;
        byte* u0 = y + offsetY, u1 = u0 + yRow, u2 = u0 + 2 * yRow, u3 = u0 + 3 * yRow;
        // acc{r}{p}: row r, tokens 2p (low lane) and 2p+1 (high lane), four float lanes per token (blocks b mod 4)
        var acc00 = Vector256<float>.Zero;
        var acc01 = Vector256<float>.Zero;
        var acc10 = Vector256<float>.Zero;
        var acc11 = Vector256<float>.Zero;
        int nb = n / 32, b = 0;
        for (; b + 4 <= nb; b += 4, x0 += 4 * xs, x1 += 4 * xs, u0 += 4 * ys, u1 += 4 * ys, u2 += 4 * ys, u3 += 4 * ys)
        {
            var w0 = TB.Signed(x0);
            var w1 = TB.Signed(x0 + xs);
            var w2 = TB.Signed(x0 + 2 * xs);
            var w3 = TB.Signed(x0 + 3 * xs);
            var i0 = Offset(w0);
            var i1 = Offset(w1);
            var i2 = Offset(w2);
            var i3 = Offset(w3);
            var a00 = Quad(w0, w1, w2, w3, i0, i1, i2, i3, u0, ys);
            var a01 = Quad(w0, w1, w2, w3, i0, i1, i2, i3, u1, ys);
            var a02 = Quad(w0, w1, w2, w3, i0, i1, i2, i3, u2, ys);
            var a03 = Quad(w0, w1, w2, w3, i0, i1, i2, i3, u3, ys);
            w0 = TB.Signed(x1);
            w1 = TB.Signed(x1 + xs);
            w2 = TB.Signed(x1 + 2 * xs);
            w3 = TB.Signed(x1 + 3 * xs);
            i0 = Offset(w0);
            i1 = Offset(w1);
            i2 = Offset(w2);
            i3 = Offset(w3);
            var a10 = Quad(w0, w1, w2, w3, i0, i1, i2, i3, u0, ys);
            var a11 = Quad(w0, w1, w2, w3, i0, i1, i2, i3, u1, ys);
            var a12 = Quad(w0, w1, w2, w3, i0, i1, i2, i3, u2, ys);
            var a13 = Quad(w0, w1, w2, w3, i0, i1, i2, i3, u3, ys);

            var dx = Scales(x0, xs, x1, xs);
            var dx0 = Avx.Permute2x128(dx, dx, 0x00);
            var dx1 = Avx.Permute2x128(dx, dx, 0x11);
            var dy01 = Scales(u0, ys, u1, ys);
            var dy23 = Scales(u2, ys, u3, ys);
            acc00 = Fma.MultiplyAdd(dx0 * dy01, Pair(a00, a01), acc00);
            acc01 = Fma.MultiplyAdd(dx0 * dy23, Pair(a02, a03), acc01);
            acc10 = Fma.MultiplyAdd(dx1 * dy01, Pair(a10, a11), acc10);
            acc11 = Fma.MultiplyAdd(dx1 * dy23, Pair(a12, a13), acc11);
        }
        int tail = nb - b;
        byte* yb = y + (long)b * ys;
        output[0] = Finish<TB>(acc00.GetLower(), x0, yb, tail);
        output[ldOut] = Finish<TB>(acc00.GetUpper(), x0, yb + yRow, tail);
        output[2 * ldOut] = Finish<TB>(acc01.GetLower(), x0, yb + 2 * yRow, tail);
        output[3 * ldOut] = Finish<TB>(acc01.GetUpper(), x0, yb + 3 * yRow, tail);
        output[1] = Finish<TB>(acc10.GetLower(), x1, yb, tail);
        output[ldOut + 1] = Finish<TB>(acc10.GetUpper(), x1, yb + yRow, tail);
        output[2 * ldOut + 1] = Finish<TB>(acc11.GetLower(), x1, yb + 2 * yRow, tail);
        output[3 * ldOut + 1] = Finish<TB>(acc11.GetUpper(), x1, yb + 3 * yRow, tail);
    }

    /// <summary>The row kernel's ending: lane sum, then the remaining blocks one float term each.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Finish<TB>(Vector128<float> acc, byte* x, byte* y, int tail) where TB : struct, IGemmBlock32
    {
        float s = Vector128.Sum(acc) + Vector128.Sum(Vector128<float>.Zero);
        return tail == 0 ? s : Avx2Dot<VnniProducts>.TailBlocks32<TB>(s, x, y, tail);
    }
}
