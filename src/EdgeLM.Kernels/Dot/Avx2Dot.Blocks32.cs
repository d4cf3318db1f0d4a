using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using EdgeLM.Kernels.Cpu;

namespace EdgeLM.Kernels.Dot;

/// <summary>
/// 256-bit kernels for the 32-value block types (Q4_0, Q4_1, Q5_0, Q5_1, Q8_0). Each block's 32 int8 products go
/// through <typeparamref name="TProducts"/> into 8 int32 lanes; four blocks' lanes are then reduced with
/// <c>vphaddd</c> to four exact block sums, converted to float and FMA-accumulated with their four d_x·d_y scales
/// (widened from half four at a time). So each block contributes exactly one float term, as in the scalar code.
/// </summary>
internal static unsafe partial class Avx2Dot<TProducts> where TProducts : struct, IInt8Products
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float H(byte* p) => HalfBits.ToSingle(*(ushort*)p);

    /// <summary>
    /// Q4_0 with the float steps of the 8-row kernels (<see cref="VnniRows8"/>): each block's exact integer sum S_b
    /// is added in block order as acc = fma((float)S_b, d_x·d_y, acc), so a row computed here and the same row
    /// computed 8 at a time agree bit for bit. Four blocks' sums come out of one <c>vphaddd</c> tree.
    /// </summary>
    public static float Q4_0(byte* x, byte* y, int n)
    {
        const int xs = 18, ys = 34;
        float acc = 0f;
        var m4 = Vector256.Create((byte)0x0F);
        var eight = Vector256.Create((byte)8);
        int nb = n / 32, b = 0;
        for (; b + 4 <= nb; b += 4, x += 4 * xs, y += 4 * ys)
        {
            var q0 = Sse2.LoadVector128(x + 2);
            var q1 = Sse2.LoadVector128(x + xs + 2);
            var q2 = Sse2.LoadVector128(x + 2 * xs + 2);
            var q3 = Sse2.LoadVector128(x + 3 * xs + 2);
            var w0 = Avx2.Subtract(Avx2.And(Vector256.Create(q0, Sse2.ShiftRightLogical(q0.AsUInt16(), 4).AsByte()), m4), eight).AsSByte();
            var w1 = Avx2.Subtract(Avx2.And(Vector256.Create(q1, Sse2.ShiftRightLogical(q1.AsUInt16(), 4).AsByte()), m4), eight).AsSByte();
            var w2 = Avx2.Subtract(Avx2.And(Vector256.Create(q2, Sse2.ShiftRightLogical(q2.AsUInt16(), 4).AsByte()), m4), eight).AsSByte();
            var w3 = Avx2.Subtract(Avx2.And(Vector256.Create(q3, Sse2.ShiftRightLogical(q3.AsUInt16(), 4).AsByte()), m4), eight).AsSByte();
            var s0 = TProducts.DotU8S8(Vector256<int>.Zero, Avx2.Abs(w0), Avx2.Sign(Avx.LoadVector256((sbyte*)(y + 2)), w0));
            var s1 = TProducts.DotU8S8(Vector256<int>.Zero, Avx2.Abs(w1), Avx2.Sign(Avx.LoadVector256((sbyte*)(y + ys + 2)), w1));
            var s2 = TProducts.DotU8S8(Vector256<int>.Zero, Avx2.Abs(w2), Avx2.Sign(Avx.LoadVector256((sbyte*)(y + 2 * ys + 2)), w2));
            var s3 = TProducts.DotU8S8(Vector256<int>.Zero, Avx2.Abs(w3), Avx2.Sign(Avx.LoadVector256((sbyte*)(y + 3 * ys + 2)), w3));
            var h = Avx2.HorizontalAdd(Avx2.HorizontalAdd(s0, s1), Avx2.HorizontalAdd(s2, s3));
            var sums = Sse2.ConvertToVector128Single(Sse2.Add(h.GetLower(), h.GetUpper()));
            // the 8 halves (4 weight d, 4 activation d) widened exactly, as HalfVectors.ToSingle does
            var hv = Vector256.Create(
                Vector128.Create((uint)*(ushort*)x, *(ushort*)(x + xs), *(ushort*)(x + 2 * xs), *(ushort*)(x + 3 * xs)),
                Vector128.Create((uint)*(ushort*)y, *(ushort*)(y + ys), *(ushort*)(y + 2 * ys), *(ushort*)(y + 3 * ys)));
            var mag = Avx2.ShiftLeftLogical(Avx2.And(hv, Vector256.Create(0x7FFFu)), 13);
            var f = Avx.Multiply(mag.AsSingle(), Vector256.Create(5.1922969e33f));
            var special = Avx2.CompareEqual(Avx2.And(hv, Vector256.Create(0x7C00u)), Vector256.Create(0x7C00u));
            f = Avx.BlendVariable(f, Avx2.Or(mag, Vector256.Create(0x7F800000u)).AsSingle(), special.AsSingle());
            var dxy = Avx2.Or(f.AsUInt32(), Avx2.ShiftLeftLogical(Avx2.And(hv, Vector256.Create(0x8000u)), 16)).AsSingle();
            var p = dxy.GetLower() * dxy.GetUpper();
            acc = MathF.FusedMultiplyAdd(sums.GetElement(0), p.GetElement(0), acc);
            acc = MathF.FusedMultiplyAdd(sums.GetElement(1), p.GetElement(1), acc);
            acc = MathF.FusedMultiplyAdd(sums.GetElement(2), p.GetElement(2), acc);
            acc = MathF.FusedMultiplyAdd(sums.GetElement(3), p.GetElement(3), acc);
        }
        return b < nb ? TailBlocks32<Q4_0Block>(acc, x, y, nb - b) : acc;
    }

    public static float Q4_1(byte* x, byte* y, int n) => Blocks32<Q4_1Block>(x, y, n);

    public static float Q5_0(byte* x, byte* y, int n) => Blocks32<Q5_0Block>(x, y, n);

    public static float Q5_1(byte* x, byte* y, int n) => Blocks32<Q5_1Block>(x, y, n);

    public static float Q8_0(byte* x, byte* y, int n) => Blocks32<Q8_0Block>(x, y, n);

    /// <summary>
    /// The generic 32-value block kernel, with the float steps of <see cref="Q4_0"/>: block sums from a
    /// <c>vphaddd</c> tree four at a time, then added in block order as acc = fma(S_b, d_x·d_y, acc) (and
    /// acc = fma(m_x, s_y, acc) for the types with a min), so the 8-row kernels can reproduce it bit for bit.
    /// </summary>
    private static float Blocks32<TBlock>(byte* x, byte* y, int n) where TBlock : struct, IBlock32
    {
        int xs = TBlock.WeightBytes, ys = TBlock.ActivationBytes;
        float acc = 0f;
        int nb = n / 32, b = 0;
        for (; b + 4 <= nb; b += 4, x += 4 * xs, y += 4 * ys)
        {
            var s0 = TBlock.Sum<TProducts>(x, y);
            var s1 = TBlock.Sum<TProducts>(x + xs, y + ys);
            var s2 = TBlock.Sum<TProducts>(x + 2 * xs, y + 2 * ys);
            var s3 = TBlock.Sum<TProducts>(x + 3 * xs, y + 3 * ys);
            // lanes of hadd(hadd(s0,s1), hadd(s2,s3)): [s0..s3 of elements' lanes 0-3 | s0..s3 of lanes 4-7]
            var h = Avx2.HorizontalAdd(Avx2.HorizontalAdd(s0, s1), Avx2.HorizontalAdd(s2, s3));
            var sums = Sse2.ConvertToVector128Single(Sse2.Add(h.GetLower(), h.GetUpper()));
            var dxy = Halves4x2(x, xs, y, ys, 0);
            var p = dxy.GetLower() * dxy.GetUpper();
            if (TBlock.HasMin)
            {
                var ms = Halves4x2(x, xs, y, ys, 2);
                var mx = ms.GetLower();
                var sy = ms.GetUpper();
                acc = MathF.FusedMultiplyAdd(sums.GetElement(0), p.GetElement(0), acc);
                acc = MathF.FusedMultiplyAdd(mx.GetElement(0), sy.GetElement(0), acc);
                acc = MathF.FusedMultiplyAdd(sums.GetElement(1), p.GetElement(1), acc);
                acc = MathF.FusedMultiplyAdd(mx.GetElement(1), sy.GetElement(1), acc);
                acc = MathF.FusedMultiplyAdd(sums.GetElement(2), p.GetElement(2), acc);
                acc = MathF.FusedMultiplyAdd(mx.GetElement(2), sy.GetElement(2), acc);
                acc = MathF.FusedMultiplyAdd(sums.GetElement(3), p.GetElement(3), acc);
                acc = MathF.FusedMultiplyAdd(mx.GetElement(3), sy.GetElement(3), acc);
            }
            else
            {
                acc = MathF.FusedMultiplyAdd(sums.GetElement(0), p.GetElement(0), acc);
                acc = MathF.FusedMultiplyAdd(sums.GetElement(1), p.GetElement(1), acc);
                acc = MathF.FusedMultiplyAdd(sums.GetElement(2), p.GetElement(2), acc);
                acc = MathF.FusedMultiplyAdd(sums.GetElement(3), p.GetElement(3), acc);
            }
        }
        return b < nb ? TailBlocks32<TBlock>(acc, x, y, nb - b) : acc;
    }

    /// <summary>The last blocks (fewer than a group of 4), added in block order with the same FMA steps.</summary>
    internal static float TailBlocks32<TBlock>(float s, byte* x, byte* y, int count) where TBlock : struct, IBlock32
    {
        int xs = TBlock.WeightBytes, ys = TBlock.ActivationBytes;
        for (int b = 0; b < count; b++, x += xs, y += ys)
        {
            s = MathF.FusedMultiplyAdd(Vector256.Sum(TBlock.Sum<TProducts>(x, y)), H(x) * H(y), s);
            if (TBlock.HasMin)
                s = MathF.FusedMultiplyAdd(H(x + 2), H(y + 2), s);
        }
        return s;
    }

    /// <summary>
    /// The half at <paramref name="offset"/> of four consecutive weight blocks (low lane) and four activation blocks
    /// (high lane), widened to float in one 8-lane conversion.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Halves4x2(byte* x, int xs, byte* y, int ys, int offset) =>
        HalfVectors.ToSingle(Vector256.Create(
            Vector128.Create((uint)*(ushort*)(x + offset), *(ushort*)(x + xs + offset), *(ushort*)(x + 2 * xs + offset), *(ushort*)(x + 3 * xs + offset)),
            Vector128.Create((uint)*(ushort*)(y + offset), *(ushort*)(y + ys + offset), *(ushort*)(y + 2 * ys + offset), *(ushort*)(y + 3 * ys + offset))));
}

/// <summary>One 32-value block type: its sizes and its exact int8 dot product (8 int32 lanes).</summary>
internal unsafe interface IBlock32
{
    static abstract int WeightBytes { get; }
    static abstract int ActivationBytes { get; }

    /// <summary>True for Q4_1/Q5_1: the block adds m_x·s_y (half fields at offset 2 of both blocks).</summary>
    static abstract bool HasMin { get; }

    static abstract Vector256<int> Sum<TProducts>(byte* x, byte* y) where TProducts : struct, IInt8Products;
}

internal static unsafe class Block32Bits
{
    /// <summary>16 packed bytes → 32 nibbles: element e &lt; 16 is the low nibble of byte e, e ≥ 16 the high one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<byte> Nibbles(byte* qs)
    {
        var q = Sse2.LoadVector128(qs);
        var hi = Sse2.ShiftRightLogical(q.AsUInt16(), 4).AsByte();
        return Avx2.And(Vector256.Create(q, hi), Vector256.Create((byte)0x0F));
    }

    /// <summary>The 32 bits of a Q5 qh word spread to bytes: byte e = 0x10 when bit e is set, else 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<byte> HighBits(uint qh)
    {
        var spread = Avx2.Shuffle(Vector256.Create(qh).AsByte(),
            Vector256.Create((byte)0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3));
        var bit = Vector256.Create(0x8040201008040201UL).AsByte();
        var set = Avx2.CompareEqual(Avx2.And(spread, bit), bit);
        return Avx2.And(set, Vector256.Create((byte)0x10));
    }

    /// <summary>
    /// Σ (u − offset)·y for unsigned u and offset = 2^shift: the signed weights go through |w| (unsigned) times
    /// y carrying w's sign, since the int8 instructions need one unsigned operand (|w| ≤ 16, no saturation).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> OffsetDot<TProducts>(Vector256<byte> u, Vector256<sbyte> y, [ConstantExpected] byte shift)
        where TProducts : struct, IInt8Products
    {
        var w = Avx2.Subtract(u, Vector256.Create((byte)(1 << shift))).AsSByte();
        return TProducts.DotU8S8(Vector256<int>.Zero, Avx2.Abs(w), Avx2.Sign(y, w));
    }
}

/// <summary>block_q4_0: half d, 16 bytes of nibbles; value nib − 8.</summary>
internal readonly unsafe partial struct Q4_0Block : IBlock32
{
    public static int WeightBytes => 18;
    public static int ActivationBytes => 34;
    public static bool HasMin => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Sum<TProducts>(byte* x, byte* y) where TProducts : struct, IInt8Products =>
        Block32Bits.OffsetDot<TProducts>(Block32Bits.Nibbles(x + 2), Avx.LoadVector256((sbyte*)(y + 2)), 3);
}

/// <summary>block_q4_1: half d, half m, 16 bytes of nibbles; value d·nib + m (the m term is added by the caller).</summary>
internal readonly unsafe struct Q4_1Block : IBlock32
{
    public static int WeightBytes => 20;
    public static int ActivationBytes => 36;
    public static bool HasMin => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Sum<TProducts>(byte* x, byte* y) where TProducts : struct, IInt8Products =>
        TProducts.DotU8S8(Vector256<int>.Zero, Block32Bits.Nibbles(x + 4), Avx.LoadVector256((sbyte*)(y + 4)));
}

/// <summary>block_q5_0: half d, uint32 qh (bit e = bit 4 of element e), 16 bytes of nibbles; value q − 16.</summary>
internal readonly unsafe struct Q5_0Block : IBlock32
{
    public static int WeightBytes => 22;
    public static int ActivationBytes => 34;
    public static bool HasMin => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Sum<TProducts>(byte* x, byte* y) where TProducts : struct, IInt8Products
    {
        var u = Avx2.Or(Block32Bits.Nibbles(x + 6), Block32Bits.HighBits(*(uint*)(x + 2)));
        return Block32Bits.OffsetDot<TProducts>(u, Avx.LoadVector256((sbyte*)(y + 2)), 4);
    }
}

/// <summary>block_q5_1: half d, half m, uint32 qh, 16 bytes of nibbles; value d·q + m.</summary>
internal readonly unsafe struct Q5_1Block : IBlock32
{
    public static int WeightBytes => 24;
    public static int ActivationBytes => 36;
    public static bool HasMin => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Sum<TProducts>(byte* x, byte* y) where TProducts : struct, IInt8Products
    {
        var u = Avx2.Or(Block32Bits.Nibbles(x + 8), Block32Bits.HighBits(*(uint*)(x + 4)));
        return TProducts.DotU8S8(Vector256<int>.Zero, u, Avx.LoadVector256((sbyte*)(y + 4)));
    }
}

/// <summary>block_q8_0: half d, 32 int8.</summary>
internal readonly unsafe partial struct Q8_0Block : IBlock32
{
    public static int WeightBytes => 34;
    public static int ActivationBytes => 34;
    public static bool HasMin => false;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Sum<TProducts>(byte* x, byte* y) where TProducts : struct, IInt8Products
    {
        // signed×signed as |x| (unsigned) × (y with x's sign): the int8 instructions need one unsigned operand
        var xq = Avx.LoadVector256((sbyte*)(x + 2));
        var yq = Avx.LoadVector256((sbyte*)(y + 2));
        return TProducts.DotU8S8(Vector256<int>.Zero, Avx2.Abs(xq), Avx2.Sign(yq, xq));
    }
}
