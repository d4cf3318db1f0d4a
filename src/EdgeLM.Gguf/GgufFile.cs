using System.IO.MemoryMappedFiles;

namespace EdgeLM.Gguf;

/// <summary>
/// A GGUF file opened read-only and memory-mapped: the header is parsed once, tensor data is viewed in place
/// (zero-copy) through <see cref="TensorData"/> / <see cref="TensorPointer"/> for as long as the file is open.
/// </summary>
public sealed unsafe class GgufFile : IDisposable
{
    private readonly MemoryMappedFile? _map;
    private readonly MemoryMappedViewAccessor? _view;
    private byte* _base;
    private readonly Dictionary<string, GgufTensorInfo> _byName;

    private GgufFile(string path, MemoryMappedFile? map, MemoryMappedViewAccessor? view, byte* basePtr, long length, GgufHeader header)
    {
        Path = path;
        _map = map;
        _view = view;
        _base = basePtr;
        Length = length;
        Header = header;
        _byName = header.Tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    /// <summary>Maps and parses <paramref name="path"/>. Throws <see cref="GgufFormatException"/> for a damaged file.</summary>
    public static GgufFile Open(string path)
    {
        var fi = new FileInfo(path);
        if (!fi.Exists)
            throw new FileNotFoundException($"model file not found: {path}", path);
        long length = fi.Length;
        if (length < 8)
            throw new GgufFormatException(length < 4 ? "magic" : "version", length < 4 ? 0 : 4, $"the file is only {length} bytes long");
        MemoryMappedFile? map = null;
        MemoryMappedViewAccessor? view = null;
        try
        {
            map = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
            view = map.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
            byte* p = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
            p += view.PointerOffset;
            var header = GgufReader.Parse(p, length);
            return new GgufFile(System.IO.Path.GetFullPath(path), map, view, p, length, header);
        }
        catch
        {
            if (view is not null)
            {
                view.SafeMemoryMappedViewHandle.ReleasePointer();
                view.Dispose();
            }
            map?.Dispose();
            throw;
        }
    }

    public string Path { get; }

    public long Length { get; }

    public GgufHeader Header { get; }

    public GgufMetadata Metadata => Header.Metadata;

    public IReadOnlyList<GgufTensorInfo> Tensors => Header.Tensors;

    public uint Version => Header.Version;

    public int Alignment => Header.Alignment;

    public long DataOffset => Header.DataOffset;

    public GgufTensorInfo? FindTensor(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The tensor called <paramref name="name"/>; throws naming it when absent.</summary>
    public GgufTensorInfo GetTensor(string name) =>
        _byName.TryGetValue(name, out var t) ? t : throw new KeyNotFoundException($"tensor '{name}' is not in {System.IO.Path.GetFileName(Path)}");

    /// <summary>Pointer to the first byte of a tensor's data in the mapping (valid until Dispose).</summary>
    public byte* TensorPointer(GgufTensorInfo tensor)
    {
        ObjectDisposedException.ThrowIf(_base == null, this);
        return _base + DataOffset + tensor.Offset;
    }

    /// <summary>A span over a tensor's bytes; for tensors of 2 GiB or more use <see cref="TensorPointer"/>.</summary>
    public ReadOnlySpan<byte> TensorData(GgufTensorInfo tensor)
    {
        long size = tensor.ByteSize;
        if (size > int.MaxValue)
            throw new InvalidOperationException($"tensor '{tensor.Name}' is {size} bytes; use TensorPointer for tensors of 2 GiB or more");
        return new ReadOnlySpan<byte>(TensorPointer(tensor), (int)size);
    }

    /// <summary>The whole mapped file, when it is under 2 GiB.</summary>
    public ReadOnlySpan<byte> Bytes(long offset, int length)
    {
        if (offset < 0 || length < 0 || offset > Length - length)
            throw new ArgumentOutOfRangeException(nameof(offset));
        return new ReadOnlySpan<byte>(_base + offset, length);
    }

    public void Dispose()
    {
        if (_base == null)
            return;
        _base = null;
        _view!.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _map!.Dispose();
    }
}
