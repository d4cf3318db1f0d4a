using EdgeLM.TestSupport;

namespace EdgeLM.Gguf.Tests.Support;

/// <summary>One seed input of the fuzzer, with the map of its header fields.</summary>
public sealed record GgufSeed(string Name, byte[] Bytes, GgufLayoutMap Map);

/// <summary>
/// Seed inputs made from the real test-data GGUFs. Whole files are megabytes (tensor data), so most seeds are
/// miniatures: the real metadata in its real order and types (long arrays cut to their first
/// <see cref="MaxArrayElements"/> entries) and the real tensor table with every tensor cut to one block,
/// which keeps each parse under a millisecond. A few small real files are also used exactly as they are.
/// </summary>
public static class GgufFuzzCorpus
{
    public const int MaxArrayElements = 200;

    private static readonly Lazy<IReadOnlyList<GgufSeed>> s_seeds = new(Build);

    public static IReadOnlyList<GgufSeed> Seeds => s_seeds.Value;

    private static readonly string[] s_miniatureSources =
    [
        "models/tiny-llama-Q4_K_M.gguf",
        "models/tiny-llama-BF16.gguf",
        "models/tiny-qwen2-Q8_0.gguf",
        "models/tiny-qwen3-Q4_K_M.gguf",
        "models/tiny-phi3-Q8_0.gguf",
        "trained/edgelm-tiny-Q4_K_M.gguf",
        "vocab/ggml-vocab-bert-bge.gguf",
        "vocab/ggml-vocab-llama-spm.gguf",
        "vocab/ggml-vocab-gpt-2.gguf",
        "vocab/ggml-vocab-qwen2.gguf",
    ];

    private static IReadOnlyList<GgufSeed> Build()
    {
        var seeds = new List<GgufSeed>();
        foreach (string rel in s_miniatureSources)
        {
            byte[] bytes = Miniature(Path.Combine(TestData.Root, rel));
            seeds.Add(new GgufSeed("miniature of " + rel, bytes, GgufLayoutMap.Of(bytes)));
        }
        // The smallest real file, byte for byte as it is in the test data.
        string real = Path.Combine(TestData.Root, "vocab/ggml-vocab-bert-bge.gguf");
        byte[] realBytes = File.ReadAllBytes(real);
        seeds.Add(new GgufSeed("vocab/ggml-vocab-bert-bge.gguf", realBytes, GgufLayoutMap.Of(realBytes)));
        return seeds;
    }

    private static byte[] Miniature(string path)
    {
        using var file = GgufFile.Open(path);
        var md = new GgufMetadata();
        foreach (var (key, value) in file.Metadata)
            md.Set(key, Trim(value));
        var writer = new GgufWriter(md, file.Version);
        foreach (var t in file.Tensors)
        {
            var info = GgmlTypes.Info(t.Type);
            long[] dims = t.Dimensions.Select((_, i) => i == 0 ? (long)info.BlockSize : 1L).ToArray();
            writer.AddTensor(t.Name, dims, t.Type, file.TensorData(t)[..info.TypeSize].ToArray());
        }
        using var ms = new MemoryStream();
        writer.WriteTo(ms);
        return ms.ToArray();
    }

    private static GgufValue Trim(GgufValue v)
    {
        if (v.ArrayValue is not { Length: > MaxArrayElements } a)
            return v;
        var cut = Array.CreateInstance(a.GetType().GetElementType()!, MaxArrayElements);
        Array.Copy(a, cut, MaxArrayElements);
        return GgufValue.FromArray(v.ElementType, cut);
    }
}
