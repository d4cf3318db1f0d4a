using System.Runtime.InteropServices;
using System.Text.Json;

namespace EdgeLM.TestSupport;

/// <summary>
/// Reader for ../shared/testdata/quant (index.json + *.bin): per ggml type, 9 cases of 2048 values with the
/// reference's quantized bytes, dequantized floats, activations and vec_dot results (see that folder's README).
/// </summary>
public static class QuantVectors
{
    private static readonly Lazy<JsonDocument> s_index = new(() =>
        JsonDocument.Parse(File.ReadAllBytes(TestData.File("quant", "index.json"))));

    private static readonly Dictionary<string, byte[]> s_files = new();

    /// <summary>Type names present in index.json ("F32", "Q4_K", ...).</summary>
    public static IReadOnlyList<string> TypeNames =>
        s_index.Value.RootElement.GetProperty("types").EnumerateObject().Select(p => p.Name).ToList();

    /// <summary>All cases of one type.</summary>
    public static IReadOnlyList<QuantCase> Cases(string type)
    {
        var t = s_index.Value.RootElement.GetProperty("types").GetProperty(type);
        return t.GetProperty("cases").EnumerateArray().Select(c => new QuantCase(type, c)).ToList();
    }

    /// <summary>The type's entry in index.json (vec_dot_type, block_size, ...).</summary>
    public static JsonElement TypeEntry(string type) => s_index.Value.RootElement.GetProperty("types").GetProperty(type);

    internal static byte[] Bytes(JsonElement array)
    {
        string file = array.GetProperty("file").GetString()!;
        byte[] data;
        lock (s_files)
        {
            if (!s_files.TryGetValue(file, out data!))
                s_files[file] = data = File.ReadAllBytes(TestData.File("quant", file));
        }
        long offset = array.GetProperty("offset").GetInt64();
        int length = array.GetProperty("length").GetInt32();
        return data.AsSpan((int)offset, length).ToArray();
    }
}

/// <summary>One case (2048 values = 8 rows of 256) of one type.</summary>
public sealed class QuantCase(string type, JsonElement json)
{
    public string Type { get; } = type;
    public string Name { get; } = json.GetProperty("case").GetString()!;
    public JsonElement Json { get; } = json;

    public bool Has(string array) => Json.GetProperty("arrays").TryGetProperty(array, out _);

    /// <summary>Raw bytes of an array ("quantized", "activation_quantized", ...).</summary>
    public byte[] Bytes(string array) => QuantVectors.Bytes(Json.GetProperty("arrays").GetProperty(array));

    public float[] Floats(string array) => MemoryMarshal.Cast<byte, float>(Bytes(array)).ToArray();

    public double[] Doubles(string array) => MemoryMarshal.Cast<byte, double>(Bytes(array)).ToArray();

    /// <summary>Indices listed under <paramref name="key"/> (e.g. "nonfinite_scaled_blocks"), empty when absent.</summary>
    public IReadOnlySet<int> IntSet(string key) =>
        Json.TryGetProperty(key, out var a) ? a.EnumerateArray().Select(e => e.GetInt32()).ToHashSet() : new HashSet<int>();

    public override string ToString() => $"{Type}/{Name}";
}
