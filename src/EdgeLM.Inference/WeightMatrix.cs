using EdgeLM.Gguf;

namespace EdgeLM.Inference;

/// <summary>
/// A 2-D weight viewed in place in the memory-mapped file: `Rows` rows of `Cols` values of `Type`
/// (GGUF ne = (Cols, Rows)); computes y[r] = Σ_c W[r][c]·x[c].
/// </summary>
public sealed unsafe class WeightMatrix
{
    public WeightMatrix(string name, GgmlType type, int rows, int cols, byte* data)
    {
        Name = name;
        Type = type;
        Rows = rows;
        Cols = cols;
        Data = data;
        RowBytes = GgmlTypes.Info(type).RowBytes(cols);
    }

    public string Name { get; }
    public GgmlType Type { get; }
    public int Rows { get; }
    public int Cols { get; }
    public byte* Data { get; }
    public long RowBytes { get; }

    public ReadOnlySpan<byte> Row(int r) => new(Data + r * RowBytes, checked((int)RowBytes));

    /// <summary>A view of rows [start, start + count) (used to split fused matrices such as phi3's attn_qkv).</summary>
    public WeightMatrix Slice(string name, int start, int count) => new(name, Type, count, Cols, Data + start * RowBytes);
}
