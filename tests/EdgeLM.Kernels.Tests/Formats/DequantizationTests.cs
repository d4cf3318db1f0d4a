using EdgeLM.Gguf;
using EdgeLM.Kernels.Formats;
using EdgeLM.TestSupport;

namespace EdgeLM.Kernels.Tests.Formats;

public sealed class DequantizationTests
{
    public static TheoryData<string> Types() => VectorData.AllTypes();

    [Theory]
    [MemberData(nameof(Types))]
    public void Dequantization_matches_reference_bit_for_bit(string type)
    {
        GgmlType t = VectorData.TypeOf(type);
        Assert.True(TensorFormats.CanDequantize(t));
        foreach (QuantCase c in QuantVectors.Cases(type))
        {
            byte[] quantized = c.Bytes("quantized");
            float[] expected = c.Floats("dequantized_f32");
            float[] actual = new float[expected.Length];
            TensorFormats.Dequantize(t, quantized, actual);
            for (int i = 0; i < expected.Length; i++)
            {
                uint e = BitConverter.SingleToUInt32Bits(expected[i]);
                uint a = BitConverter.SingleToUInt32Bits(actual[i]);
                if (e != a)
                {
                    Assert.Fail($"{c}: value {i} is {actual[i]:R} (0x{a:X8}), reference {expected[i]:R} (0x{e:X8})");
                }
            }
        }
    }

    [Fact]
    public void All_zero_Q4_0_block_dequantizes_to_negative_zero()
    {
        // d = 0/−8 = −0.0 in the reference, so every value is −0.0 (README "Exactness to expect")
        float[] zeros = new float[32];
        byte[] block = new byte[Q4_0Block.ByteSize];
        TensorFormats.Quantize(GgmlType.Q4_0, zeros, block);
        float[] back = new float[32];
        TensorFormats.Dequantize(GgmlType.Q4_0, block, back);
        Assert.All(back, v => Assert.Equal(0x80000000u, BitConverter.SingleToUInt32Bits(v)));
    }
}
