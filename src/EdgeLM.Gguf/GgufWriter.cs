using System.Buffers.Binary;
using System.Text;

namespace EdgeLM.Gguf;

/// <summary>
/// Writes GGUF files: header, metadata in insertion order, tensor infos, then tensor data, each tensor at the
/// next multiple of general.alignment (padding with zero bytes), the layout llama.cpp expects and writes.
/// </summary>
public sealed class GgufWriter
{
    private readonly List<PendingTensor> _tensors = new();

    public GgufWriter(GgufMetadata metadata, uint version = 3)
    {
        if (version is not (2 or 3))
            throw new ArgumentOutOfRangeException(nameof(version), "GGUF version must be 2 or 3");
        Metadata = metadata;
        Version = version;
    }

    public GgufMetadata Metadata { get; }

    public uint Version { get; }

    /// <summary>Adds a tensor whose bytes are produced by <paramref name="writeData"/> (exactly the type's byte size).</summary>
    public void AddTensor(string name, long[] dimensions, GgmlType type, Action<Stream> writeData)
    {
        var info = new GgufTensorInfo(name, dimensions, type, 0);
        if (_tensors.Any(t => t.Info.Name == name))
            throw new ArgumentException($"tensor '{name}' was added twice", nameof(name));
        var ti = GgmlTypes.Info(type);
        if (dimensions.Length == 0 || dimensions.Length > GgufHeader.MaxDimensions || dimensions[0] % ti.BlockSize != 0
            || dimensions.Any(d => d < 0))
            throw new ArgumentException($"tensor '{name}': shape [{string.Join(", ", dimensions)}] does not fit type {ti.Name}", nameof(dimensions));
        _tensors.Add(new PendingTensor(info, writeData));
    }

    /// <summary>Adds a tensor from bytes in memory.</summary>
    public void AddTensor(string name, long[] dimensions, GgmlType type, ReadOnlyMemory<byte> data)
    {
        long expected = new GgufTensorInfo(name, dimensions, type, 0).ByteSize;
        if (data.Length != expected)
            throw new ArgumentException($"tensor '{name}': {data.Length} bytes given, {expected} expected", nameof(data));
        AddTensor(name, dimensions, type, s => s.Write(data.Span));
    }

    /// <summary>Adds a tensor copied from an open file (streamed from the mapping, not loaded into memory).</summary>
    public unsafe void AddTensor(GgufFile source, GgufTensorInfo tensor, string? newName = null)
    {
        AddTensor(newName ?? tensor.Name, tensor.Dimensions, tensor.Type, s =>
        {
            byte* p = source.TensorPointer(tensor);
            long left = tensor.ByteSize;
            while (left > 0)
            {
                int n = (int)Math.Min(left, 1 << 24);
                s.Write(new ReadOnlySpan<byte>(p, n));
                p += n;
                left -= n;
            }
        });
    }

    /// <summary>Writes the file to a temporary name beside <paramref name="path"/> and renames it at the end,
    /// so a failure never leaves a half-written file under the final name.</summary>
    public void WriteFile(string path)
    {
        string full = Path.GetFullPath(path);
        string temp = full + $".tmp-{Environment.ProcessId}-{Guid.NewGuid():N}";
        try
        {
            using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            {
                WriteTo(fs);
                fs.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }

    public void WriteTo(Stream stream)
    {
        int alignment = CheckedAlignment(Metadata);
        var header = new MemoryStream();
        var w = new BinaryWriter(header, Encoding.UTF8, leaveOpen: true);
        w.Write(GgufHeader.Magic);
        w.Write(Version);
        w.Write((ulong)_tensors.Count);
        w.Write((ulong)Metadata.Count);
        foreach (var (key, value) in Metadata)
        {
            WriteString(w, key);
            w.Write((uint)value.Type);
            WriteValue(w, value);
        }
        long offset = 0;
        foreach (var t in _tensors)
        {
            WriteString(w, t.Info.Name);
            w.Write((uint)t.Info.Dimensions.Length);
            foreach (long d in t.Info.Dimensions)
                w.Write((ulong)d);
            w.Write((uint)t.Info.Type);
            w.Write((ulong)offset);
            offset = Align(offset + t.Info.ByteSize, alignment);
        }
        w.Flush();
        stream.Write(header.GetBuffer(), 0, (int)header.Length);
        // A file without tensors ends right after the header (as gguf-py writes vocabulary-only files).
        if (_tensors.Count > 0)
            WritePadding(stream, header.Length, alignment);

        long written = 0;
        foreach (var t in _tensors)
        {
            long before = stream.CanSeek ? stream.Position : -1;
            t.WriteData(stream);
            if (before >= 0 && stream.Position - before != t.Info.ByteSize)
                throw new InvalidOperationException($"tensor '{t.Info.Name}': wrote {stream.Position - before} bytes, expected {t.Info.ByteSize}");
            written += t.Info.ByteSize;
            written += WritePadding(stream, written, alignment);
        }
    }

    /// <summary>The reader (ours and gguf.cpp's) refuses a general.alignment that is not a UInt32 power of two,
    /// so writing one would produce a file nothing loads.</summary>
    private static int CheckedAlignment(GgufMetadata metadata)
    {
        if (!metadata.TryGetValue("general.alignment", out var v))
            return GgufHeader.DefaultAlignment;
        if (v.Type != GgufValueType.UInt32)
            throw new ArgumentException($"general.alignment must be UInt32, not {v.Type}");
        long a = v.AsInt64();
        if (a <= 0 || a > 1 << 30 || (a & (a - 1)) != 0)
            throw new ArgumentException($"general.alignment {a} is not a power of two up to 2^30");
        return (int)a;
    }

    private static long Align(long x, int a) => (x + a - 1) / a * a;

    private static long WritePadding(Stream s, long position, int alignment)
    {
        long pad = Align(position, alignment) - position;
        for (long i = 0; i < pad; i++)
            s.WriteByte(0);
        return pad;
    }

    private static void WriteString(BinaryWriter w, string s)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(s);
        w.Write((ulong)bytes.Length);
        w.Write(bytes);
    }

    private static void WriteValue(BinaryWriter w, GgufValue v)
    {
        switch (v.Type)
        {
            case GgufValueType.UInt8: case GgufValueType.Int8: case GgufValueType.Bool: w.Write((byte)v.RawBits); break;
            case GgufValueType.UInt16: case GgufValueType.Int16: w.Write((ushort)v.RawBits); break;
            case GgufValueType.UInt32: case GgufValueType.Int32: case GgufValueType.Float32: w.Write((uint)v.RawBits); break;
            case GgufValueType.UInt64: case GgufValueType.Int64: case GgufValueType.Float64: w.Write(v.RawBits); break;
            case GgufValueType.String: WriteString(w, v.AsString()); break;
            case GgufValueType.Array: WriteArray(w, v); break;
            default: throw new InvalidOperationException($"cannot write value type {v.Type}");
        }
    }

    private static void WriteArray(BinaryWriter w, GgufValue v)
    {
        w.Write((uint)v.ElementType);
        w.Write((ulong)v.Count);
        switch (v.ArrayValue)
        {
            case byte[] a: w.Write(a); break;
            case sbyte[] a: foreach (var x in a) w.Write(x); break;
            case bool[] a: foreach (var x in a) w.Write((byte)(x ? 1 : 0)); break;
            case ushort[] a: foreach (var x in a) w.Write(x); break;
            case short[] a: foreach (var x in a) w.Write(x); break;
            case uint[] a: foreach (var x in a) w.Write(x); break;
            case int[] a: foreach (var x in a) w.Write(x); break;
            case float[] a: foreach (var x in a) w.Write(x); break;
            case ulong[] a: foreach (var x in a) w.Write(x); break;
            case long[] a: foreach (var x in a) w.Write(x); break;
            case double[] a: foreach (var x in a) w.Write(x); break;
            case string[] a: foreach (var x in a) WriteString(w, x); break;
            case GgufValue[] a: foreach (var x in a) WriteArray(w, x); break;
            default: throw new InvalidOperationException($"cannot write an array of {v.ElementType}");
        }
    }

    private sealed record PendingTensor(GgufTensorInfo Info, Action<Stream> WriteData);
}
