namespace EdgeLM.Gguf;

/// <summary>
/// A tensor's header entry. <see cref="Dimensions"/> are ggml's ne, fastest-varying first: a 2-D weight with
/// ne = (in, out) is stored as `out` rows of `in` values. <see cref="Offset"/> is relative to the data section.
/// </summary>
public sealed record GgufTensorInfo(string Name, long[] Dimensions, GgmlType Type, long Offset)
{
    public long ElementCount => Dimensions.Aggregate(1L, (a, d) => a * d);

    /// <summary>Bytes the tensor occupies: blocks along ne0, rows of ne0 for every other index.</summary>
    public long ByteSize
    {
        get
        {
            var info = GgmlTypes.Info(Type);
            return ElementCount / info.BlockSize * info.TypeSize;
        }
    }

    /// <summary>Length of one row (ne0).</summary>
    public long RowLength => Dimensions.Length > 0 ? Dimensions[0] : 1;

    /// <summary>Number of rows (product of ne1..).</summary>
    public long RowCount => Dimensions.Length > 0 ? ElementCount / Dimensions[0] : 1;

    public string ShapeString => string.Join(" x ", Dimensions);
}
