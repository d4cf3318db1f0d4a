using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using EdgeLM.Kernels.Cpu;

namespace EdgeLM.Kernels.Dot;

/// <summary>
/// A 32-value block type that the multi-row × multi-token kernel (<see cref="VnniGemm"/>) can multiply: each
/// block's exact int8 dot product is split into a per-row operand, a per-token operand and a correction term
/// (an int32 lane vector) that is folded into the <c>vpdpbusd</c> accumulator, so that an (row, token) product is
/// one instruction and the unpacking is shared across the tile.
/// </summary>
internal unsafe interface IGemmBlock32 : IBlock32
{
    /// <summary>The weight block's operand and its correction (zero when the token side carries it).</summary>
    static abstract Vector256<byte> Row(byte* x, out Vector256<int> init);

    /// <summary>The activation block's operand and its correction (zero when the row side carries it).</summary>
    static abstract Vector256<byte> Token(byte* y, out Vector256<int> init);

    /// <summary>8 int32 lanes whose sum is the block's exact integer dot product.</summary>
    static abstract Vector256<int> Item(Vector256<byte> row, Vector256<int> rowInit, Vector256<byte> token, Vector256<int> tokenInit);
}

internal readonly unsafe partial struct Q4_0Block : IGemmBlock32
{
    /// <summary>Unsigned nibbles 0..15; the −8 offset is carried by the token side as −8·Σy.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<byte> Row(byte* x, out Vector256<int> init)
    {
        init = Vector256<int>.Zero;
        return Block32Bits.Nibbles(x + 2);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<byte> Token(byte* y, out Vector256<int> init)
    {
        var q = Avx.LoadVector256(y + 2);
        init = Avx2.Subtract(Vector256<int>.Zero, AvxVnni.MultiplyWideningAndAdd(Vector256<int>.Zero, Vector256.Create((byte)8), q.AsSByte()));
        return q;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Item(Vector256<byte> row, Vector256<int> rowInit, Vector256<byte> token, Vector256<int> tokenInit) =>
        AvxVnni.MultiplyWideningAndAdd(tokenInit, row, token.AsSByte());
}

internal readonly unsafe partial struct Q8_0Block : IGemmBlock32
{
    /// <summary>Signed weights; the activations go in as y + 128 (unsigned), so the row carries −128·Σw.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<byte> Row(byte* x, out Vector256<int> init)
    {
        var w = Avx.LoadVector256(x + 2);
        init = Avx2.Subtract(Vector256<int>.Zero, AvxVnni.MultiplyWideningAndAdd(Vector256<int>.Zero, Vector256.Create((byte)0x80), w.AsSByte()));
        return w;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<byte> Token(byte* y, out Vector256<int> init)
    {
        init = Vector256<int>.Zero;
        return Avx2.Xor(Avx.LoadVector256(y + 2), Vector256.Create((byte)0x80));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Item(Vector256<byte> row, Vector256<int> rowInit, Vector256<byte> token, Vector256<int> tokenInit) =>
        AvxVnni.MultiplyWideningAndAdd(rowInit, token, row.AsSByte());
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
    /// <summary>out[t·ldOut + r] for rows r0, r0+1 (at x, x + xRow) and tokens t0..t0+3 (at y + k·yRow).</summary>
    public static void Q4_0(byte* x, long xRow, byte* y, int yRow, int n, float* output, int ldOut) =>
        Tile2x4<Q4_0Block>(x, xRow, y, yRow, n, output, ldOut);

    public static void Q8_0(byte* x, long xRow, byte* y, int yRow, int n, float* output, int ldOut) =>
        Tile2x4<Q8_0Block>(x, xRow, y, yRow, n, output, ldOut);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Items<TB>(byte* x0, byte* x1, byte* y0, byte* y1, byte* y2, byte* y3,
        out Vector256<int> s00, out Vector256<int> s01, out Vector256<int> s02, out Vector256<int> s03,
        out Vector256<int> s10, out Vector256<int> s11, out Vector256<int> s12, out Vector256<int> s13)
        where TB : struct, IGemmBlock32
    {
        var r0 = TB.Row(x0, out var i0);
        var r1 = TB.Row(x1, out var i1);
        var u0 = TB.Token(y0, out var j0);
        var u1 = TB.Token(y1, out var j1);
        var u2 = TB.Token(y2, out var j2);
        var u3 = TB.Token(y3, out var j3);
        s00 = TB.Item(r0, i0, u0, j0);
        s01 = TB.Item(r0, i0, u1, j1);
        s02 = TB.Item(r0, i0, u2, j2);
        s03 = TB.Item(r0, i0, u3, j3);
        s10 = TB.Item(r1, i1, u0, j0);
        s11 = TB.Item(r1, i1, u1, j1);
        s12 = TB.Item(r1, i1, u2, j2);
        s13 = TB.Item(r1, i1, u3, j3);
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

    private static void Tile2x4<TB>(byte* x, long xRow, byte* y, int yRow, int n, float* output, int ldOut)
        where TB : struct, IGemmBlock32
    {
        int xs = TB.WeightBytes, ys = TB.ActivationBytes;
        byte* x0 = x, x1 = x + xRow;
        byte* y0 = y, y1 = y + yRow, y2 = y + 2 * yRow, y3 = y + 3 * yRow;
        // acc{r}{p}: row r, tokens 2p (low lane) and 2p+1 (high lane), four float lanes per token (blocks b mod 4)
        var acc00 = Vector256<float>.Zero;
        var acc01 = Vector256<float>.Zero;
        var acc10 = Vector256<float>.Zero;
        var acc11 = Vector256<float>.Zero;
        int nb = n / 32, b = 0;
        for (; b + 4 <= nb; b += 4, x0 += 4 * xs, x1 += 4 * xs, y0 += 4 * ys, y1 += 4 * ys, y2 += 4 * ys, y3 += 4 * ys)
        {
            Items<TB>(x0, x1, y0, y1, y2, y3, out var a00, out var a01, out var a02, out var a03, out var a10, out var a11, out var a12, out var a13);
            Items<TB>(x0 + xs, x1 + xs, y0 + ys, y1 + ys, y2 + ys, y3 + ys,
                out var b00, out var b01, out var b02, out var b03, out var b10, out var b11, out var b12, out var b13);
            a00 = Avx2.HorizontalAdd(a00, b00);
            a01 = Avx2.HorizontalAdd(a01, b01);
            a02 = Avx2.HorizontalAdd(a02, b02);
            a03 = Avx2.HorizontalAdd(a03, b03);
            a10 = Avx2.HorizontalAdd(a10, b10);
            a11 = Avx2.HorizontalAdd(a11, b11);
            a12 = Avx2.HorizontalAdd(a12, b12);
            a13 = Avx2.HorizontalAdd(a13, b13);
            Items<TB>(x0 + 2 * xs, x1 + 2 * xs, y0 + 2 * ys, y1 + 2 * ys, y2 + 2 * ys, y3 + 2 * ys,
                out var c00, out var c01, out var c02, out var c03, out var c10, out var c11, out var c12, out var c13);
            Items<TB>(x0 + 3 * xs, x1 + 3 * xs, y0 + 3 * ys, y1 + 3 * ys, y2 + 3 * ys, y3 + 3 * ys,
                out b00, out b01, out b02, out b03, out b10, out b11, out b12, out b13);
            a00 = Avx2.HorizontalAdd(a00, Avx2.HorizontalAdd(c00, b00));
            a01 = Avx2.HorizontalAdd(a01, Avx2.HorizontalAdd(c01, b01));
            a02 = Avx2.HorizontalAdd(a02, Avx2.HorizontalAdd(c02, b02));
            a03 = Avx2.HorizontalAdd(a03, Avx2.HorizontalAdd(c03, b03));
            a10 = Avx2.HorizontalAdd(a10, Avx2.HorizontalAdd(c10, b10));
            a11 = Avx2.HorizontalAdd(a11, Avx2.HorizontalAdd(c11, b11));
            a12 = Avx2.HorizontalAdd(a12, Avx2.HorizontalAdd(c12, b12));
            a13 = Avx2.HorizontalAdd(a13, Avx2.HorizontalAdd(c13, b13));

            var dx = Scales(x0, xs, x1, xs);
            var dx0 = Avx.Permute2x128(dx, dx, 0x00);
            var dx1 = Avx.Permute2x128(dx, dx, 0x11);
            var dy01 = Scales(y0, ys, y1, ys);
            var dy23 = Scales(y2, ys, y3, ys);
            acc00 = Fma.MultiplyAdd(dx0 * dy01, Pair(a00, a01), acc00);
            acc01 = Fma.MultiplyAdd(dx0 * dy23, Pair(a02, a03), acc01);
            acc10 = Fma.MultiplyAdd(dx1 * dy01, Pair(a10, a11), acc10);
            acc11 = Fma.MultiplyAdd(dx1 * dy23, Pair(a12, a13), acc11);
        }
        output[0] = Finish<TB>(acc00.GetLower(), x0, y0, nb - b);
        output[ldOut] = Finish<TB>(acc00.GetUpper(), x0, y1, nb - b);
        output[2 * ldOut] = Finish<TB>(acc01.GetLower(), x0, y2, nb - b);
        output[3 * ldOut] = Finish<TB>(acc01.GetUpper(), x0, y3, nb - b);
        output[1] = Finish<TB>(acc10.GetLower(), x1, y0, nb - b);
        output[ldOut + 1] = Finish<TB>(acc10.GetUpper(), x1, y1, nb - b);
        output[2 * ldOut + 1] = Finish<TB>(acc11.GetLower(), x1, y2, nb - b);
        output[3 * ldOut + 1] = Finish<TB>(acc11.GetUpper(), x1, y3, nb - b);
    }

    /// <summary>The row kernel's ending: lane sum, then the remaining blocks one float term each.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Finish<TB>(Vector128<float> acc, byte* x, byte* y, int tail) where TB : struct, IGemmBlock32
    {
        float s = Vector128.Sum(acc) + Vector128.Sum(Vector128<float>.Zero);
        return tail == 0 ? s : Avx2Dot<VnniProducts>.TailBlocks32<TB>(s, x, y, tail);
    }
}
