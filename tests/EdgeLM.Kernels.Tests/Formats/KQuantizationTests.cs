using EdgeLM.Gguf;
using EdgeLM.Kernels.Formats;
using EdgeLM.TestSupport;

namespace EdgeLM.Kernels.Tests.Formats;

/// <summary>
/// K-quant reference quantizers. The README reports 432/432 identical blocks for a straight float32
/// port, so anything below 100 % is a porting bug; separately the reconstruction error must never be
/// more than 0.5 % above the reference's on any case.
/// </summary>
public sealed class KQuantizationTests
{
    public static TheoryData<string> Types() => new() { "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K", "Q8_K" };

    [Theory]
    [MemberData(nameof(Types))]
    public void K_quantization_is_byte_identical_to_reference(string type)
    {
        GgmlType t = VectorData.TypeOf(type);
        int size = GgmlTypes.Info(t).TypeSize;
        int same = 0;
        int total = 0;
        var differing = new List<string>();
        foreach (QuantCase c in QuantVectors.Cases(type))
        {
            byte[] expected = c.Bytes("quantized");
            byte[] actual = new byte[expected.Length];
            TensorFormats.Quantize(t, c.Floats("input_f32"), actual);
            for (int b = 0; b < expected.Length / size; b++)
            {
                total++;
                if (expected.AsSpan(b * size, size).SequenceEqual(actual.AsSpan(b * size, size)))
                {
                    same++;
                }
                else
                {
                    differing.Add($"{c.Name}#{b}");
                }
            }
        }
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{type}: {same}/{total} blocks byte-identical ({100.0 * same / total:F1} %){(differing.Count > 0 ? "; differ: " + string.Join(", ", differing) : "")}");
        Assert.True(same == total, $"{type}: only {same}/{total} blocks identical; differ: {string.Join(", ", differing)}");
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void K_quantization_error_is_within_half_a_percent_of_reference(string type)
    {
        GgmlType t = VectorData.TypeOf(type);
        foreach (QuantCase c in QuantVectors.Cases(type))
        {
            float[] input = c.Floats("input_f32");
            float[] reference = c.Floats("dequantized_f32");
            byte[] quantized = new byte[c.Bytes("quantized").Length];
            TensorFormats.Quantize(t, input, quantized);
            float[] ours = new float[input.Length];
            TensorFormats.Dequantize(t, quantized, ours);
            double refError = VectorData.SquaredError(input, reference);
            double ourError = VectorData.SquaredError(input, ours);
            TestContext.Current.TestOutputHelper?.WriteLine($"{c}: SSE {ourError:G6} vs reference {refError:G6}");
            Assert.True(ourError <= refError * 1.005, $"{c}: squared error {ourError:G9} exceeds reference {refError:G9} by more than 0.5 %");
        }
    }
}
