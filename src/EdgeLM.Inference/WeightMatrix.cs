using EdgeLM.Gguf;

namespace EdgeLM.Inference;

/// <summary>
/// A 2-D weight viewed in place in the memory-mapped file: `Rows` rows of `Cols` values of `Type`
/// (GGUF ne = (Cols, Rows)); computes y[r] = Σ_c W[r][c]·x[c].
/// </summary>
public sealed unsafe class WeightMatrix
{
    public WeightMatrix(string name, GgmlType type, int rows, int cols, byte* data, string? source = null, int sliceStart = 0)
    {
        Name = name;
        Source = source ?? name;
        SliceStart = sliceStart;
        Type = type;
        Rows = rows;
        Cols = cols;
        Data = data;
        RowBytes = GgmlTypes.Info(type).RowBytes(cols);
    }

    public string Name { get; }

    /// <summary>The GGUF tensor this matrix views (differs from <see cref="Name"/> for slices of fused matrices).</summary>
    public string Source { get; }

    /// <summary>First row of the source tensor this view starts at (0 unless it is a slice).</summary>
    public int SliceStart { get; }
    public GgmlType Type { get; }
    public int Rows { get; }
    public int Cols { get; }
    public byte* Data { get; }
    public long RowBytes { get; }

    public ReadOnlySpan<byte> Row(int r) => new(Data + r * RowBytes, checked((int)RowBytes));

    /// <summary>A view of rows [start, start + count) (used to split fused matrices such as phi3's attn_qkv).</summary>
    public WeightMatrix Slice(string name, int start, int count) => new(name, Type, count, Cols, Data + start * RowBytes, Source, SliceStart + start);
}
