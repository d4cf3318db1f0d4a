using System.Buffers.Binary;

namespace EdgeLM.Gguf.Tests.Support;

/// <summary>What a header field holds, so a mutator can aim at the fields a parser must distrust.</summary>
public enum GgufFieldKind
{
    Magic,
    Version,
    Count,
    StringLength,
    ValueType,
    DimensionCount,
    Dimension,
    TensorType,
    TensorOffset,
    Scalar,
}

/// <summary>One field of a GGUF header: where it starts, how wide it is, what it is called.</summary>
public sealed record GgufField(string Name, GgufFieldKind Kind, int Offset, int Size);

/// <summary>A run of bytes that forms one unit: a key/value entry or a tensor info.</summary>
public sealed record GgufSection(string Name, int Start, int End, bool IsTensorInfo);

/// <summary>
/// Records where every field of a well-formed GGUF header lies. It is a second, deliberately simple walk of the
/// layout (gguf.h) written apart from <see cref="GgufReader"/>, so tests can name offsets without trusting the
/// code they test. It assumes its input is valid.
/// </summary>
public sealed class GgufLayoutMap
{
    private readonly byte[] _bytes;
    private int _pos;

    private GgufLayoutMap(byte[] bytes) => _bytes = bytes;

    public List<GgufField> Fields { get; } = new();

    public List<GgufSection> Sections { get; } = new();

    /// <summary>Offset just past the last tensor info (before the alignment padding).</summary>
    public int HeaderEnd { get; private set; }

    public static GgufLayoutMap Of(byte[] file)
    {
        var map = new GgufLayoutMap(file);
        map.Walk();
        return map;
    }

    public GgufField Field(string name) =>
        Fields.FirstOrDefault(f => f.Name == name) ?? throw new KeyNotFoundException($"no field '{name}' in the layout map");

    private void Walk()
    {
        Add("magic", GgufFieldKind.Magic, 4);
        Add("version", GgufFieldKind.Version, 4);
        ulong tensors = U64(Add("tensor_count", GgufFieldKind.Count, 8));
        ulong kvs = U64(Add("metadata_kv_count", GgufFieldKind.Count, 8));
        for (ulong i = 0; i < kvs; i++)
        {
            int start = _pos;
            string key = Str($"metadata[{i}].key");
            uint type = U32(Add($"metadata '{key}' type", GgufFieldKind.ValueType, 4));
            Value(type, $"metadata '{key}'");
            Sections.Add(new GgufSection(key, start, _pos, false));
        }
        for (ulong i = 0; i < tensors; i++)
        {
            int start = _pos;
            string name = Str($"tensor[{i}].name");
            uint dims = U32(Add($"tensor '{name}' n_dims", GgufFieldKind.DimensionCount, 4));
            for (uint d = 0; d < dims; d++)
                Add($"tensor '{name}' ne[{d}]", GgufFieldKind.Dimension, 8);
            Add($"tensor '{name}' type", GgufFieldKind.TensorType, 4);
            Add($"tensor '{name}' offset", GgufFieldKind.TensorOffset, 8);
            Sections.Add(new GgufSection(name, start, _pos, true));
        }
        HeaderEnd = _pos;
    }

    private void Value(uint type, string name)
    {
        switch (type)
        {
            case 8: Str(name); break;
            case 9:
            {
                uint et = U32(Add(name + " element type", GgufFieldKind.ValueType, 4));
                ulong n = U64(Add(name + " count", GgufFieldKind.Count, 8));
                for (ulong i = 0; i < n; i++)
                {
                    if (et == 9)
                        Value(9, $"{name}[{i}]");
                    else if (et == 8)
                        Str($"{name}[{i}]");
                    else
                        _pos += ScalarSize(et); // element runs are not named one by one: too many to be useful
                }
                break;
            }
            default: Add(name, GgufFieldKind.Scalar, ScalarSize(type)); break;
        }
    }

    private static int ScalarSize(uint type) => type switch
    {
        0 or 1 or 7 => 1,
        2 or 3 => 2,
        4 or 5 or 6 => 4,
        10 or 11 or 12 => 8,
        _ => throw new InvalidDataException($"not a scalar type: {type}"),
    };

    private string Str(string name)
    {
        int n = (int)U64(Add(name + " length", GgufFieldKind.StringLength, 8));
        string s = System.Text.Encoding.UTF8.GetString(_bytes, _pos, n);
        _pos += n;
        return s;
    }

    private GgufField Add(string name, GgufFieldKind kind, int size)
    {
        var f = new GgufField(name, kind, _pos, size);
        Fields.Add(f);
        _pos += size;
        return f;
    }

    private uint U32(GgufField f) => BinaryPrimitives.ReadUInt32LittleEndian(_bytes.AsSpan(f.Offset));

    private ulong U64(GgufField f) => BinaryPrimitives.ReadUInt64LittleEndian(_bytes.AsSpan(f.Offset));
}
