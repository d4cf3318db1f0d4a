using EdgeLM.Gguf;
using EdgeLM.TestSupport;

namespace EdgeLM.Kernels.Tests.Formats;

/// <summary>Theory data and small comparisons over the quantization vectors (testdata/quant).</summary>
internal static class VectorData
{
    public static GgmlType TypeOf(string name) =>
        GgmlTypes.TryParse(name, out GgmlType t) ? t : throw new ArgumentException($"unknown type name {name}");

    public static TheoryData<string> AllTypes()
    {
        var data = new TheoryData<string>();
        foreach (string name in QuantVectors.TypeNames)
        {
            data.Add(name);
        }
        return data;
    }

    /// <summary>Block count of a case for a type (2048 values per case).</summary>
    public static int Blocks(string type, QuantCase c) =>
        c.Floats("input_f32").Length / GgmlTypes.Info(TypeOf(type)).BlockSize;

    public static double SquaredError(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double d = (double)x[i] - y[i];
            sum += d * d;
        }
        return sum;
    }
}
