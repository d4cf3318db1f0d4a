namespace EdgeLM.Gguf;

/// <summary>A GGUF file is malformed: names the field that was wrong and the byte offset where it was read.</summary>
public sealed class GgufFormatException : Exception
{
    public GgufFormatException(string field, long offset, string problem)
        : base($"invalid GGUF: {field} at byte {offset}: {problem}")
    {
        Field = field;
        Offset = offset;
    }

    /// <summary>The field being read, e.g. "metadata[3].key" or "tensor 'blk.0.attn_q.weight' dims".</summary>
    public string Field { get; }

    /// <summary>Byte offset in the file where the field starts.</summary>
    public long Offset { get; }
}

/// <summary>A metadata key is missing or holds a value of another type than the caller asked for.</summary>
public sealed class GgufMetadataException(string key, string problem)
    : Exception($"GGUF metadata key '{key}': {problem}")
{
    public string Key { get; } = key;
}
