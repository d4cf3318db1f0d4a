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
    /// <summary>Int16 scale vector for 32 values spanning two 16-value sub-blocks: low lane a, high lane b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<short> Scales(int a, int b) =>
        Vector256.Create(Vector128.Create((short)a), Vector128.Create((short)b));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<byte> Load(byte* p) => Avx.LoadVector256(p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<sbyte> LoadY(byte* y, int e) => Avx.LoadVector256((sbyte*)(y + 4 + e));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<byte> Shr(Vector256<byte> v, [ConstantExpected] byte count) => Avx2.ShiftRightLogical(v.AsUInt16(), count).AsByte();

    public static float Q2_K(byte* x, byte* y, int n)
    {
        var m3 = Vector256.Create((byte)3);
        float s = 0f;
        for (int b = 0; b < n / 256; b++, x += 84, y += 292)
        {
            var acc = Vector256<int>.Zero;
            for (int h = 0; h < 2; h++)
            {
                var bits = Load(x + 16 + 32 * h);
                for (int j = 0; j < 4; j++, bits = Shr(bits, 2))
                {
                    var u = Avx2.And(bits, m3);
                    int sb = 8 * h + 2 * j;
                    var p = Avx2.MultiplyAddAdjacent(u, LoadY(y, 128 * h + 32 * j));
                    acc = TProducts.DotI16(acc, p, Scales(x[sb] & 15, x[sb + 1] & 15));
                }
            }
            int sumi = Vector256.Sum(acc);
            short* bsums = (short*)(y + 260);
            int summ = 0;
            for (int sb = 0; sb < 16; sb++)
                summ += (x[sb] >> 4) * bsums[sb];
            float dy = *(float*)y;
            s += dy * H(x + 80) * sumi - dy * H(x + 82) * summ;
        }
        return s;
    }

    public static float Q3_K(byte* x, byte* y, int n)
    {
        var m3 = Vector256.Create((byte)3);
        var one = Vector256.Create((byte)1);
        short* sc = stackalloc short[16];
        float s = 0f;
        for (int b = 0; b < n / 256; b++, x += 110, y += 292)
        {
            short* bsums = (short*)(y + 260);
            int corr = 0;
            for (int i = 0; i < 16; i++)
            {
                sc[i] = (short)KQuantScales.Q3Scale(x + 96, i);
                corr += sc[i] * bsums[i];
            }
            var hmask = Load(x); // shifted right once per 32 values: bit 4h+j is then bit 0
            var acc = Vector256<int>.Zero;
            for (int h = 0; h < 2; h++)
            {
                var bits = Load(x + 32 + 32 * h);
                for (int j = 0; j < 4; j++, bits = Shr(bits, 2), hmask = Shr(hmask, 1))
                {
                    // q = low + 4·hbit − 4; the −4 is applied once below through the bsums
                    var low = Avx2.And(bits, m3);
                    var hb = Avx2.And(hmask, one);
                    var u = Avx2.Or(low, Avx2.ShiftLeftLogical(hb.AsUInt16(), 2).AsByte());
                    int sb = 8 * h + 2 * j;
                    var p = Avx2.MultiplyAddAdjacent(u, LoadY(y, 128 * h + 32 * j));
                    acc = TProducts.DotI16(acc, p, Scales(sc[sb], sc[sb + 1]));
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
        float s = 0f;
        for (int b = 0; b < n / 256; b++, x += 144, y += 292)
        {
            short* bsums = (short*)(y + 260);
            var acc = Vector256<int>.Zero;
            int summ = 0;
            for (int c = 0; c < 4; c++)
            {
                KQuantScales.ScaleMinK4(x + 4, 2 * c, out int sc0, out int mn0);
                KQuantScales.ScaleMinK4(x + 4, 2 * c + 1, out int sc1, out int mn1);
                summ += mn0 * (bsums[4 * c] + bsums[4 * c + 1]) + mn1 * (bsums[4 * c + 2] + bsums[4 * c + 3]);
                var q = Load(x + 16 + 32 * c);
                var p0 = Avx2.MultiplyAddAdjacent(Avx2.And(q, m4), LoadY(y, 64 * c));
                var p1 = Avx2.MultiplyAddAdjacent(Avx2.And(Shr(q, 4), m4), LoadY(y, 64 * c + 32));
                acc = TProducts.DotI16(acc, p0, Vector256.Create((short)sc0));
                acc = TProducts.DotI16(acc, p1, Vector256.Create((short)sc1));
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
        float s = 0f;
        for (int b = 0; b < n / 256; b++, x += 176, y += 292)
        {
            short* bsums = (short*)(y + 260);
            var qh = Load(x + 16);
            var acc = Vector256<int>.Zero;
            int summ = 0;
            for (int c = 0; c < 4; c++)
            {
                KQuantScales.ScaleMinK4(x + 4, 2 * c, out int sc0, out int mn0);
                KQuantScales.ScaleMinK4(x + 4, 2 * c + 1, out int sc1, out int mn1);
                summ += mn0 * (bsums[4 * c] + bsums[4 * c + 1]) + mn1 * (bsums[4 * c + 2] + bsums[4 * c + 3]);
                var q = Load(x + 48 + 32 * c);
                // qh is shifted right by 2 per iteration: bits 2c and 2c+1 are then bits 0 and 1
                var h0 = Avx2.ShiftLeftLogical(Avx2.And(qh, one).AsUInt16(), 4).AsByte();
                var h1 = Avx2.ShiftLeftLogical(Avx2.And(qh, Vector256.Create((byte)2)).AsUInt16(), 3).AsByte();
                qh = Shr(qh, 2);
                var p0 = Avx2.MultiplyAddAdjacent(Avx2.Or(Avx2.And(q, m4), h0), LoadY(y, 64 * c));
                var p1 = Avx2.MultiplyAddAdjacent(Avx2.Or(Avx2.And(Shr(q, 4), m4), h1), LoadY(y, 64 * c + 32));
                acc = TProducts.DotI16(acc, p0, Vector256.Create((short)sc0));
                acc = TProducts.DotI16(acc, p1, Vector256.Create((short)sc1));
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
            sbyte* scales = (sbyte*)(x + 192);
            short* bsums = (short*)(y + 260);
            int corr = 0;
            for (int i = 0; i < 16; i++)
                corr += scales[i] * bsums[i];
            var acc = Vector256<int>.Zero;
            for (int h = 0; h < 2; h++)
            {
                var qlA = Load(x + 64 * h);
                var qlB = Load(x + 64 * h + 32);
                var qhv = Load(x + 128 + 32 * h);
                for (int k = 0; k < 4; k++, qhv = Shr(qhv, 2))
                {
                    var ql = (k & 1) == 0 ? qlA : qlB;
                    var low = k < 2 ? Avx2.And(ql, m4) : Avx2.And(Shr(ql, 4), m4);
                    var high = Avx2.ShiftLeftLogical(Avx2.And(qhv, m3).AsUInt16(), 4).AsByte();
                    int sb = 8 * h + 2 * k;
                    // q − 32 with the −32 applied once through the bsums
                    var p = Avx2.MultiplyAddAdjacent(Avx2.Or(low, high), LoadY(y, 128 * h + 32 * k));
                    acc = TProducts.DotI16(acc, p, Scales(scales[sb], scales[sb + 1]));
                }
            }
            int sumi = Vector256.Sum(acc) - 32 * corr;
            s += *(float*)y * H(x + 208) * sumi;
        }
        return s;
    }
}
