using EdgeLM.Gguf;
using EdgeLM.Kernels.Formats;
using EdgeLM.TestSupport;

namespace EdgeLM.Kernels.Tests.Formats;

/// <summary>
/// F32/F16/BF16 and the 32-value block quantizers must reproduce the reference bytes exactly. The
/// quantizers emulate x86's float→int conversion (NaN/±inf → 0x80000000, low byte kept), so the
/// blocks listed in nonfinite_scaled_blocks are compared byte for byte too, not skipped.
/// </summary>
public sealed class SimpleQuantizationTests
{
    public static TheoryData<string, string> Types() => new()
    {
        { "F32", "quantized" },
        { "F16", "quantized" },
        { "BF16", "quantized" },
        { "Q4_0", "quantized" },
        { "Q4_1", "quantized" },
        { "Q5_0", "quantized" },
        { "Q5_1", "quantized" },
        { "Q8_0", "quantized" },
        { "Q8_1", "quantized_ref" },
    };

    [Theory]
    [MemberData(nameof(Types))]
    public void Reference_quantization_is_byte_identical(string type, string array)
    {
        GgmlType t = VectorData.TypeOf(type);
        GgmlTypeInfo info = GgmlTypes.Info(t);
        int nonfiniteSeen = 0;
        foreach (QuantCase c in QuantVectors.Cases(type))
        {
            float[] input = c.Floats("input_f32");
            byte[] expected = c.Bytes(array);
            byte[] actual = new byte[expected.Length];
            TensorFormats.Quantize(t, input, actual);
            string key = type == "Q8_1" ? "nonfinite_scaled_blocks_ref" : "nonfinite_scaled_blocks";
            nonfiniteSeen += c.IntSet(key).Count;
            for (int b = 0; b < expected.Length / info.TypeSize; b++)
            {
                var e = expected.AsSpan(b * info.TypeSize, info.TypeSize);
                var a = actual.AsSpan(b * info.TypeSize, info.TypeSize);
                if (!e.SequenceEqual(a))
                {
                    Assert.Fail($"{c}: block {b} differs (nonfinite scale: {c.IntSet(key).Contains(b)}): " +
                        $"got {Convert.ToHexString(a)}, reference {Convert.ToHexString(e)}");
                }
            }
        }
        if (info.IsQuantized)
        {
            // the emulated undefined behaviour must actually have been exercised
            Assert.True(nonfiniteSeen > 0, $"{type}: no nonfinite-scale blocks in the data");
        }
    }
}
