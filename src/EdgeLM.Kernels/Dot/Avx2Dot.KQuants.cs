using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EdgeLM.Kernels.Dot;

/// <summary>
/// 256-bit K-quant × Q8_K kernels. All weights are handled as unsigned values (Q2_K 0..3, Q3_K 0..7 with −4 folded
/// into the bsums, Q4_K 0..15, Q5_K 0..31, Q6_K 0..63 with −32 folded into the bsums), multiplied with the int8
/// activations by <c>vpmaddubsw</c> (no saturation: 2·63·127 &lt; 32767) and weighted by the int16 sub-block
/// scales in a second step, so one super-block ends as one exact int sum. The float step per super-block is
/// written exactly as in <see cref="ScalarDot"/>, so these kernels return the scalar result bit for bit.
/// </summary>
internal static unsafe partial class Avx2Dot<TProducts>
{
    /// <summary>
    /// Q4_K/Q5_K 12-byte scales → bytes 0..7 = the 8 sub-block scales, bytes 8..15 = the 8 mins: the
    /// get_scale_min_k4 layout (sb &lt; 4: low 6 bits of bytes sb / sb+4; sb ≥ 4: low nibble of byte sb+4 plus the
    /// top 2 bits of bytes sb−4 / sb) unpacked for all sub-blocks at once with 32-bit masks, kept in a register.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> UnpackScalesK4(byte* scales)
    {
        uint a0 = *(uint*)scales, a1 = *(uint*)(scales + 4), a2 = *(uint*)(scales + 8);
        return Vector128.Create(
            a0 & 0x3F3F3F3F,
            (a2 & 0x0F0F0F0F) | (((a0 >> 6) & 0x03030303) << 4),
            a1 & 0x3F3F3F3F,
            ((a2 >> 4) & 0x0F0F0F0F) | (((a1 >> 6) & 0x03030303) << 4)).AsByte();
    }

    /// <summary>Σ_sb m_sb·(bsums[2sb] + bsums[2sb+1]) for the 8 unsigned mins in bytes 8..15 of <paramref name="scalesMins"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int MinTermK4(Vector128<byte> scalesMins, byte* y)
    {
        var bs = Avx.LoadVector256((short*)(y + 260));
        var pairs = Ssse3.HorizontalAdd(bs.GetLower(), bs.GetUpper());
        var m16 = Sse41.ConvertToVector128Int16(Sse2.ShiftRightLogical128BitLane(scalesMins, 8));
        return Vector128.Sum(Sse2.MultiplyAddAdjacent(m16.AsInt16(), pairs));
    }

    /// <summary>Σ_s scale_s·bsums[s] for 16 int16 scales.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ScaledBsums(Vector256<short> scales16, byte* y) =>
        Vector256.Sum(Avx2.MultiplyAddAdjacent(scales16, Avx.LoadVector256((short*)(y + 260))));

    /// <summary>
    /// From 16 int8 sub-block scales broadcast to both lanes, the int16 vector for sub-blocks 2i (low lane) and
    /// 2i+1 (high lane): vpshufb puts byte 2i resp. 2i+1 into the high byte of every int16, vpsraw sign-extends.
    /// <paramref name="mask"/> starts as <see cref="ScaleMask0"/> and grows by 2 in every high byte per step.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<short> PairScales(Vector256<sbyte> scalesBoth, Vector256<byte> mask) =>
        Avx2.ShiftRightArithmetic(Avx2.Shuffle(scalesBoth, mask.AsSByte()).AsInt16(), 8);

    private static Vector256<byte> ScaleMask0 => Vector256.Create(
        Vector128.Create((ushort)0x0080).AsByte(), Vector128.Create((ushort)0x0180).AsByte());

    private static Vector256<byte> ScaleMaskStep => Vector256.Create((ushort)0x0200).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<byte> Load(byte* p) => Avx.LoadVector256(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<sbyte> LoadY(byte* y, int e) => Avx.LoadVector256((sbyte*)(y + 4 + e));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<byte> Shr(Vector256<byte> v, [ConstantExpected] byte count) => Avx2.ShiftRightLogical(v.AsUInt16(), count).AsByte();

    public static float Q2_K(byte* x, byte* y, int n)
    {
        var m3 = Vector256.Create((byte)3);
        var m4 = Vector128.Create((byte)15);
        float s = 0f;
        for (int b = 0; b < n / 256; b++, x += 84, y += 292)
        {
            // scales[i]: low nibble = scale, high nibble = min of sub-block i
            var raw = Sse2.LoadVector128(x);
            var mins = Sse2.And(Sse2.ShiftRightLogical(raw.AsUInt16(), 4).AsByte(), m4);
            int summ = ScaledBsums(Avx2.ConvertToVector256Int16(mins).AsInt16(), y);
            var sc = Sse2.And(raw, m4).AsSByte();
            var scalesBoth = Vector256.Create(sc, sc);
            var mask = ScaleMask0;
            var acc = Vector256<int>.Zero;
            for (int h = 0; h < 2; h++)
            {
                var bits = Load(x + 16 + 32 * h);
                for (int j = 0; j < 4; j++, bits = Shr(bits, 2), mask = Avx2.Add(mask, ScaleMaskStep))
                {
                    var p = Avx2.MultiplyAddAdjacent(Avx2.And(bits, m3), LoadY(y, 128 * h + 32 * j));
                    acc = TProducts.DotI16(acc, p, PairScales(scalesBoth, mask));
                }
            }
            int sumi = Vector256.Sum(acc);
            float dy = *(float*)y;
            s += dy * H(x + 80) * sumi - dy * H(x + 82) * summ;
        }
        return s;
    }

    /// <summary>
    /// Q3_K 12-byte scales → 16 signed 6-bit scales: low nibbles from bytes 0..7 (sub-blocks 0..7) and their high
    /// nibbles (8..15), 2 high bits from bytes 8..11 shifted by 2·(s/4); minus 32.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<sbyte> UnpackScalesQ3(byte* scales)
    {
        uint a0 = *(uint*)scales, a1 = *(uint*)(scales + 4), a2 = *(uint*)(scales + 8);
        var v = Vector128.Create(
            (a0 & 0x0F0F0F0F) | ((a2 & 0x03030303) << 4),
            (a1 & 0x0F0F0F0F) | (((a2 >> 2) & 0x03030303) << 4),
            ((a0 >> 4) & 0x0F0F0F0F) | (((a2 >> 4) & 0x03030303) << 4),
            ((a1 >> 4) & 0x0F0F0F0F) | (((a2 >> 6) & 0x03030303) << 4));
        return Sse2.Subtract(v.AsSByte(), Vector128.Create((sbyte)32));
    }

    public static float Q3_K(byte* x, byte* y, int n)
    {
        var m3 = Vector256.Create((byte)3);
        var one = Vector256.Create((byte)1);
        float s = 0f;
        for (int b = 0; b < n / 256; b++, x += 110, y += 292)
        {
            var sc = UnpackScalesQ3(x + 96);
            int corr = ScaledBsums(Avx2.ConvertToVector256Int16(sc), y);
            var scalesBoth = Vector256.Create(sc, sc);
            var mask = ScaleMask0;
            var hmask = Load(x); // shifted right once per 32 values: bit 4h+j is then bit 0
            var acc = Vector256<int>.Zero;
            for (int h = 0; h < 2; h++)
            {
                var bits = Load(x + 32 + 32 * h);
                for (int j = 0; j < 4; j++, bits = Shr(bits, 2), hmask = Shr(hmask, 1), mask = Avx2.Add(mask, ScaleMaskStep))
                {
                    // q = low + 4·hbit − 4; the −4 is applied once below through the bsums
                    var low = Avx2.And(bits, m3);
                    var hb = Avx2.And(hmask, one);
                    var u = Avx2.Or(low, Avx2.ShiftLeftLogical(hb.AsUInt16(), 2).AsByte());
                    var p = Avx2.MultiplyAddAdjacent(u, LoadY(y, 128 * h + 32 * j));
                    acc = TProducts.DotI16(acc, p, PairScales(scalesBoth, mask));
                }
            }
            int sumi = Vector256.Sum(acc) - 4 * corr;
            s += *(float*)y * H(x + 108) * sumi;
        }
        return s;
    }

    public static float Q4_K(byte* x, byte* y, int n)
    {
        var m4 = Vector256.Create((byte)15);
        var maskEven = Vector256.Create((ushort)0x8000).AsByte();
        var oddBit = Vector256.Create((ushort)1).AsByte();
        var step = Vector256.Create((ushort)2).AsByte();
        float s = 0f;
        for (int b = 0; b < n / 256; b++, x += 144, y += 292)
        {
            var scalesMins = UnpackScalesK4(x + 4);
            int summ = MinTermK4(scalesMins, y);
            // vpshufb with int16 lanes [sb, 0x80] broadcasts scale byte sb zero-extended; sb = 2c, 2c+1
            var scalesBoth = Vector256.Create(scalesMins, scalesMins);
            var mask = maskEven;
            var acc = Vector256<int>.Zero;
            for (int c = 0; c < 4; c++, mask = Avx2.Add(mask, step))
            {
                var q = Load(x + 16 + 32 * c);
                var p0 = Avx2.MultiplyAddAdjacent(Avx2.And(q, m4), LoadY(y, 64 * c));
                var p1 = Avx2.MultiplyAddAdjacent(Avx2.And(Shr(q, 4), m4), LoadY(y, 64 * c + 32));
                acc = TProducts.DotI16(acc, p0, Avx2.Shuffle(scalesBoth, mask).AsInt16());
                acc = TProducts.DotI16(acc, p1, Avx2.Shuffle(scalesBoth, Avx2.Or(mask, oddBit)).AsInt16());
            }
            int sumi = Vector256.Sum(acc);
            float dy = *(float*)y;
            s += dy * H(x) * sumi - dy * H(x + 2) * summ;
        }
        return s;
    }

    public static float Q5_K(byte* x, byte* y, int n)
    {
        var m4 = Vector256.Create((byte)15);
        var one = Vector256.Create((byte)1);
        var maskEven = Vector256.Create((ushort)0x8000).AsByte();
        var oddBit = Vector256.Create((ushort)1).AsByte();
        var step = Vector256.Create((ushort)2).AsByte();
        float s = 0f;
        for (int b = 0; b < n / 256; b++, x += 176, y += 292)
        {
            var scalesMins = UnpackScalesK4(x + 4);
            int summ = MinTermK4(scalesMins, y);
            // vpshufb with int16 lanes [sb, 0x80] broadcasts scale byte sb zero-extended; sb = 2c, 2c+1
            var scalesBoth = Vector256.Create(scalesMins, scalesMins);
            var mask = maskEven;
            var qh = Load(x + 16);
            var acc = Vector256<int>.Zero;
            for (int c = 0; c < 4; c++, mask = Avx2.Add(mask, step))
            {
                var q = Load(x + 48 + 32 * c);
                // qh is shifted right by 2 per iteration: bits 2c and 2c+1 are then bits 0 and 1
                var h0 = Avx2.ShiftLeftLogical(Avx2.And(qh, one).AsUInt16(), 4).AsByte();
                var h1 = Avx2.ShiftLeftLogical(Avx2.And(qh, Vector256.Create((byte)2)).AsUInt16(), 3).AsByte();
                qh = Shr(qh, 2);
                var p0 = Avx2.MultiplyAddAdjacent(Avx2.Or(Avx2.And(q, m4), h0), LoadY(y, 64 * c));
                var p1 = Avx2.MultiplyAddAdjacent(Avx2.Or(Avx2.And(Shr(q, 4), m4), h1), LoadY(y, 64 * c + 32));
                acc = TProducts.DotI16(acc, p0, Avx2.Shuffle(scalesBoth, mask).AsInt16());
                acc = TProducts.DotI16(acc, p1, Avx2.Shuffle(scalesBoth, Avx2.Or(mask, oddBit)).AsInt16());
            }
            int sumi = Vector256.Sum(acc);
            float dy = *(float*)y;
            s += dy * H(x) * sumi - dy * H(x + 2) * summ;
        }
        return s;
    }

    public static float Q6_K(byte* x, byte* y, int n)
    {
        var m4 = Vector256.Create((byte)15);
        var m3 = Vector256.Create((byte)3);
        float s = 0f;
        for (int b = 0; b < n / 256; b++, x += 210, y += 292)
        {
            var scales = Sse2.LoadVector128((sbyte*)(x + 192));
            int corr = ScaledBsums(Avx2.ConvertToVector256Int16(scales), y);
            var scalesBoth = Vector256.Create(scales, scales);
            var mask = ScaleMask0;
            var acc = Vector256<int>.Zero;
            for (int h = 0; h < 2; h++)
            {
                var qlA = Load(x + 64 * h);
                var qlB = Load(x + 64 * h + 32);
                var qhv = Load(x + 128 + 32 * h);
                for (int k = 0; k < 4; k++, qhv = Shr(qhv, 2), mask = Avx2.Add(mask, ScaleMaskStep))
                {
                    var ql = (k & 1) == 0 ? qlA : qlB;
                    var low = k < 2 ? Avx2.And(ql, m4) : Avx2.And(Shr(ql, 4), m4);
                    var high = Avx2.ShiftLeftLogical(Avx2.And(qhv, m3).AsUInt16(), 4).AsByte();
                    // q − 32 with the −32 applied once through the bsums
                    var p = Avx2.MultiplyAddAdjacent(Avx2.Or(low, high), LoadY(y, 128 * h + 32 * k));
                    acc = TProducts.DotI16(acc, p, PairScales(scalesBoth, mask));
                }
            }
            int sumi = Vector256.Sum(acc) - 32 * corr;
            s += *(float*)y * H(x + 208) * sumi;
        }
        return s;
    }
}
