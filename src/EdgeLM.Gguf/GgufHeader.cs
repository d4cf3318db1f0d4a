namespace EdgeLM.Gguf;

/// <summary>Everything a GGUF file says before its tensor data: version, metadata, tensor table, layout.</summary>
public sealed class GgufHeader
{
    public const uint Magic = 0x46554747; // "GGUF" read as a little-endian uint32
    public const int DefaultAlignment = 32;
    public const int MaxDimensions = 4; // GGML_MAX_DIMS

    public GgufHeader(uint version, GgufMetadata metadata, IReadOnlyList<GgufTensorInfo> tensors, long dataOffset)
    {
        Version = version;
        Metadata = metadata;
        Tensors = tensors;
        DataOffset = dataOffset;
    }

    /// <summary>2 or 3.</summary>
    public uint Version { get; }

    public GgufMetadata Metadata { get; }

    public IReadOnlyList<GgufTensorInfo> Tensors { get; }

    /// <summary>Absolute byte offset of the data section (the header end rounded up to the alignment).</summary>
    public long DataOffset { get; }

    /// <summary>general.alignment, or 32 when absent.</summary>
    public int Alignment => AlignmentOf(Metadata);

    internal static int AlignmentOf(GgufMetadata metadata) =>
        metadata.TryGetValue("general.alignment", out var v) && v.Type == GgufValueType.UInt32 ? (int)v.AsInt64() : DefaultAlignment;

    public GgufTensorInfo? FindTensor(string name)
    {
        foreach (var t in Tensors)
            if (t.Name == name)
                return t;
        return null;
    }
}
