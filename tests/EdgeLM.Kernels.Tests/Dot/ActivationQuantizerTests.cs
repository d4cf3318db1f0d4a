using EdgeLM.Gguf;
using EdgeLM.Kernels.Activations;
using EdgeLM.Kernels.Cpu;
using EdgeLM.TestSupport;

namespace EdgeLM.Kernels.Tests.Dot;

public sealed class ActivationQuantizerTests
{
    public static TheoryData<string, KernelIsa> WeightTypesAndVariants()
    {
        var d = new TheoryData<string, KernelIsa>();
        foreach (var t in new[] { "F32", "F16", "BF16", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q8_0", "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K" })
            foreach (var isa in CpuCapabilities.Supported)
                d.Add(t, isa);
        return d;
    }

    [Theory]
    [MemberData(nameof(WeightTypesAndVariants))]
    public void Activation_quantization_matches_ggml_from_float_byte_for_byte(string weightType, KernelIsa isa)
    {
        GgmlTypes.TryParse(weightType, out var wt);
        var at = ActivationQuantizer.PairedType(wt);
        Assert.Equal(QuantVectors.TypeEntry(weightType).GetProperty("vec_dot_type").GetString(), at.ToString());
        foreach (var c in QuantVectors.Cases(weightType))
        {
            var x = c.Floats("activation_f32");
            var expected = c.Bytes("activation_quantized");
            var actual = new byte[ActivationQuantizer.QuantizedRowBytes(at, x.Length)];
            ActivationQuantizer.Quantize(at, x, actual, isa);
            Assert.True(expected.AsSpan().SequenceEqual(actual), $"{c}: first difference at byte {FirstDifference(expected, actual)}");
        }
    }

    /// <summary>
    /// The input vectors include the `tiny` case whose scales overflow 1/d: our Q8_0/Q8_1 emulate x86's conversion
    /// (NaN/inf → int.MinValue, packs saturate to -128), so even those blocks match; Q8_K uses nearest_int.
    /// </summary>
    [Theory]
    [InlineData("Q8_0", "quantized_cpu")]
    [InlineData("Q8_1", "quantized")]
    [InlineData("Q8_K", "quantized")]
    public void Activation_quantizer_reproduces_cpu_from_float_on_all_inputs(string type, string array)
    {
        GgmlTypes.TryParse(type, out var at);
        foreach (var isa in CpuCapabilities.Supported)
            foreach (var c in QuantVectors.Cases(type))
            {
                var x = c.Floats("input_f32");
                var expected = c.Bytes(array);
                var actual = new byte[ActivationQuantizer.QuantizedRowBytes(at, x.Length)];
                ActivationQuantizer.Quantize(at, x, actual, isa);
                Assert.True(expected.AsSpan().SequenceEqual(actual), $"{c} {isa}: first difference at byte {FirstDifference(expected, actual)}");
            }
    }

    [Fact]
    public void Paired_types_follow_ggml_vec_dot_type()
    {
        foreach (var name in QuantVectors.TypeNames)
        {
            var entry = QuantVectors.TypeEntry(name);
            if (!entry.TryGetProperty("vec_dot_type", out var vdt) || vdt.ValueKind != System.Text.Json.JsonValueKind.String)
                continue;
            GgmlTypes.TryParse(name, out var wt);
            if (wt is GgmlType.Q8_1 or GgmlType.Q8_K)
                continue;
            Assert.Equal(vdt.GetString(), ActivationQuantizer.PairedType(wt).ToString());
        }
    }

    [Fact]
    public void Quantize_rejects_a_row_length_that_is_not_whole_blocks()
    {
        var ex = Assert.Throws<ArgumentException>(() => ActivationQuantizer.Quantize(GgmlType.Q8_K, new float[100], new byte[1000]));
        Assert.Contains("100", ex.Message);
    }

    private static int FirstDifference(byte[] a, byte[] b)
    {
        for (int i = 0; i < Math.Min(a.Length, b.Length); i++)
            if (a[i] != b[i]) return i;
        return a.Length == b.Length ? -1 : Math.Min(a.Length, b.Length);
    }
}
