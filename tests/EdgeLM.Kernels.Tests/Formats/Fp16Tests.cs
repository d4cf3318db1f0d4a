using EdgeLM.Kernels.Formats;
using FsCheck;
using FsCheck.Fluent;

namespace EdgeLM.Kernels.Tests.Formats;

public sealed class Fp16Tests
{
    [Fact]
    public void Every_half_widens_like_System_Half_and_narrows_back_to_itself()
    {
        for (int h = 0; h < 65536; h++)
        {
            float ours = Fp16.HalfToFloat((ushort)h);
            float system = (float)BitConverter.UInt16BitsToHalf((ushort)h);
            if (float.IsNaN(system))
            {
                Assert.True(float.IsNaN(ours), $"half 0x{h:X4} should widen to NaN");
                continue;
            }
            Assert.Equal(BitConverter.SingleToUInt32Bits(system), BitConverter.SingleToUInt32Bits(ours));
            Assert.Equal((ushort)h, Fp16.FloatToHalf(ours));
        }
    }

    [Fact]
    public void Ties_between_adjacent_halves_round_to_even()
    {
        // every finite half h and its successor: the exact midpoint (representable in binary32) must go to
        // the one with an even mantissa, including across the subnormal/normal boundary
        for (int h = 0; h < 0x7BFF; h++)
        {
            double lo = Fp16.HalfToFloat((ushort)h);
            double hi = Fp16.HalfToFloat((ushort)(h + 1));
            float mid = (float)((lo + hi) / 2);
            Assert.Equal((lo + hi) / 2, (double)mid);
            ushort even = (h & 1) == 0 ? (ushort)h : (ushort)(h + 1);
            Assert.Equal(even, Fp16.FloatToHalf(mid));
            Assert.Equal((ushort)(even | 0x8000), Fp16.FloatToHalf(-mid));
        }
    }

    [Fact]
    public void Half_overflow_underflow_and_nan_follow_ggml()
    {
        Assert.Equal(0x7BFF, Fp16.FloatToHalf(65519.99f));
        Assert.Equal(0x7C00, Fp16.FloatToHalf(65520f));
        Assert.Equal(0xFC00, Fp16.FloatToHalf(float.NegativeInfinity));
        Assert.Equal(0x0000, Fp16.FloatToHalf(MathF.Pow(2, -25)));
        Assert.Equal(0x0001, Fp16.FloatToHalf(BitConverter.UInt32BitsToSingle(0x33000001)));
        Assert.Equal(0x8000, Fp16.FloatToHalf(-0.0f));
        Assert.Equal(0x7E00, Fp16.FloatToHalf(BitConverter.UInt32BitsToSingle(0x7F800001)));
    }

    [Fact]
    public void Float_to_half_matches_System_Half_on_random_floats()
    {
        Prop.ForAll(AnyBits(), (uint bits) =>
        {
            float f = BitConverter.UInt32BitsToSingle(bits);
            if (float.IsNaN(f))
            {
                return true;
            }
            return Fp16.FloatToHalf(f) == BitConverter.HalfToUInt16Bits((Half)f);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(20000));
    }

    [Fact]
    public void Float_to_bf16_rounds_to_nearest_even_on_random_floats()
    {
        Prop.ForAll(AnyBits(), (uint bits) =>
        {
            float f = BitConverter.UInt32BitsToSingle(bits);
            ushort b = Fp16.FloatToBF16(f);
            if (float.IsNaN(f))
            {
                return float.IsNaN(Fp16.BF16ToFloat(b)) && (b & 0x40) != 0;
            }
            // independent formulation: truncate, then round up when the dropped half-word is above
            // the midpoint or at it with an odd result
            uint t = bits >> 16;
            uint rest = bits & 0xFFFF;
            if (rest > 0x8000 || (rest == 0x8000 && (t & 1) != 0))
            {
                t++;
            }
            return b == (ushort)t;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(20000));
    }

    /// <summary>Uniform over all 2^32 bit patterns (FsCheck's own uint generator is size-bounded, i.e. small).</summary>
    private static Arbitrary<uint> AnyBits() =>
        Gen.Choose(0, 0xFFFF).SelectMany(hi => Gen.Choose(0, 0xFFFF).Select(lo => ((uint)hi << 16) | (uint)lo)).ToArbitrary();

    [Fact]
    public void Row_conversions_reject_mismatched_lengths()
    {
        Assert.Throws<ArgumentException>(() => Fp16.HalfToFloat(new ushort[3], new float[4]));
        Assert.Throws<ArgumentException>(() => Fp16.FloatToBF16(new float[3], new ushort[2]));
    }
}
