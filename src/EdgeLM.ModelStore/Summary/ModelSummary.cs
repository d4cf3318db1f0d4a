using System.Globalization;
using EdgeLM.Gguf;

namespace EdgeLM.ModelStore;

/// <summary>
/// What `list` and `show` tell about a model, read from its (merged) metadata and tensor headers only.
/// Values a file lacks are null.
/// </summary>
public sealed record ModelSummary
{
    public required string Architecture { get; init; }
    public string? Name { get; init; }
    public required long Parameters { get; init; }
    public required string FileType { get; init; }
    public required long TensorBytes { get; init; }
    public required long FileBytes { get; init; }
    public required int Shards { get; init; }
    public required int TensorCount { get; init; }
    public long? ContextLength { get; init; }
    public long? EmbeddingLength { get; init; }
    public long? Layers { get; init; }
    public long? Heads { get; init; }
    public long? KvHeads { get; init; }
    public int? VocabularySize { get; init; }
    public string? TokenizerModel { get; init; }
    public string? TokenizerPre { get; init; }
    public string? ChatTemplate { get; init; }

    /// <summary>Defaults the file recommends (`general.sampling.*`) and special tokens, as key/value text.</summary>
    public required IReadOnlyList<KeyValuePair<string, string>> Defaults { get; init; }

    public static ModelSummary Of(SplitGguf model)
    {
        var m = model.Metadata;
        string arch = m.GetStringOrNull("general.architecture") ?? "unknown";
        var defaults = new List<KeyValuePair<string, string>>();
        foreach (var (key, value) in m)
            if (key.StartsWith("general.sampling.", StringComparison.Ordinal)
                || key is "tokenizer.ggml.bos_token_id" or "tokenizer.ggml.eos_token_id" or "tokenizer.ggml.add_bos_token" or "tokenizer.ggml.add_eos_token")
                defaults.Add(new(key, value.ToString()));
        return new ModelSummary
        {
            Architecture = arch,
            Name = m.GetStringOrNull("general.name"),
            Parameters = model.Tensors.Sum(t => t.Info.ElementCount),
            FileType = m.TryGetValue("general.file_type", out var ft) && ft.IsInteger ? FileTypeNames.Of(ft.AsInt64()) : DominantType(model),
            TensorBytes = model.TensorBytes,
            FileBytes = model.FileBytes,
            Shards = model.Shards.Count,
            TensorCount = model.Tensors.Count,
            ContextLength = Long(m, $"{arch}.context_length"),
            EmbeddingLength = Long(m, $"{arch}.embedding_length"),
            Layers = Long(m, $"{arch}.block_count"),
            Heads = Long(m, $"{arch}.attention.head_count"),
            KvHeads = Long(m, $"{arch}.attention.head_count_kv") ?? Long(m, $"{arch}.attention.head_count"),
            VocabularySize = m.TryGetValue("tokenizer.ggml.tokens", out var tokens) && tokens.IsArray ? tokens.Count : null,
            TokenizerModel = m.GetStringOrNull("tokenizer.ggml.model"),
            TokenizerPre = m.GetStringOrNull("tokenizer.ggml.pre"),
            ChatTemplate = m.GetStringOrNull("tokenizer.chat_template"),
            Defaults = defaults,
        };
    }

    public static ModelSummary Of(string path)
    {
        using var model = SplitGguf.Open(path);
        return Of(model);
    }

    /// <summary>Parameter count in the usual short form: 596M, 7.6B.</summary>
    public static string FormatParameters(long n) => n switch
    {
        >= 1_000_000_000 => (n / 1e9).ToString("0.#", CultureInfo.InvariantCulture) + "B",
        >= 1_000_000 => (n / 1e6).ToString("0.#", CultureInfo.InvariantCulture) + "M",
        >= 1_000 => (n / 1e3).ToString("0.#", CultureInfo.InvariantCulture) + "K",
        _ => n.ToString(CultureInfo.InvariantCulture),
    };

    private static long? Long(GgufMetadata m, string key) =>
        m.TryGetValue(key, out var v) && v.IsInteger ? v.AsInt64() : null;

    // Files without general.file_type: name them after the type holding the most bytes.
    private static string DominantType(SplitGguf model) =>
        model.Tensors.GroupBy(t => t.Info.Type).OrderByDescending(g => g.Sum(t => t.Info.ByteSize)).Select(g => g.Key.ToString()).FirstOrDefault() ?? "none";
}
