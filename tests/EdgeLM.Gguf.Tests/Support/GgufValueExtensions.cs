namespace EdgeLM.Gguf.Tests.Support;

public static class GgufValueExtensions
{
    /// <summary>The stored bits of a scalar, compared exactly (so -0.0 and NaN payloads count).</summary>
    public static string RawBitsForTest(this GgufValue v) => v.Type switch
    {
        GgufValueType.String => "s:" + v.AsString(),
        GgufValueType.Bool => v.AsBool() ? "b:1" : "b:0",
        GgufValueType.Float32 => "f:" + BitConverter.SingleToUInt32Bits(v.AsFloat32()),
        GgufValueType.Float64 => "d:" + BitConverter.DoubleToUInt64Bits(v.AsFloat64()),
        GgufValueType.UInt64 => "u:" + v.AsUInt64(),
        _ => "i:" + v.AsInt64(),
    };
}
