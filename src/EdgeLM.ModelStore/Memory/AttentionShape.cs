using EdgeLM.Gguf;

namespace EdgeLM.ModelStore;

/// <summary>
/// The attention geometry that sizes the KV cache, read from `{arch}.*` keys the way llama.cpp does:
/// head_count_kv defaults to head_count, key_length to embedding_length / head_count.
/// </summary>
public readonly record struct AttentionShape(int Layers, int Heads, int KvHeads, int KeyLength, int EmbeddingLength)
{
    public static AttentionShape Of(GgufMetadata m)
    {
        string arch = m.GetString("general.architecture");
        int layers = m.GetInt32($"{arch}.block_count");
        int embedding = m.GetInt32($"{arch}.embedding_length");
        int heads = HeadCount(m, $"{arch}.attention.head_count", null);
        int kvHeads = HeadCount(m, $"{arch}.attention.head_count_kv", heads);
        if (heads <= 0)
            throw new GgufMetadataException($"{arch}.attention.head_count", $"must be positive, is {heads}");
        int keyLength = m.GetInt32Or($"{arch}.attention.key_length", embedding / heads);
        return new AttentionShape(layers, heads, kvHeads, keyLength, embedding);
    }

    // Some architectures store a per-layer array of head counts; the cache is sized by the largest.
    private static int HeadCount(GgufMetadata m, string key, int? fallback)
    {
        if (!m.TryGetValue(key, out var v))
            return fallback ?? throw new GgufMetadataException(key, "missing");
        return v.IsArray ? m.GetInt32Array(key).DefaultIfEmpty(0).Max() : m.GetInt32(key);
    }
}
