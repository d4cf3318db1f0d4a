using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Unicode;

namespace EdgeLM.Gguf;

/// <summary>
/// Parses a GGUF header (versions 2 and 3, little-endian) from bytes, validating every count, length and offset
/// against the bytes that are really there, so a damaged file fails with a <see cref="GgufFormatException"/>
/// naming the field and offset, and nothing is allocated beyond what the input can justify.
/// </summary>
/// <remarks>
/// Layout (gguf.h): magic "GGUF", uint32 version, uint64 tensor_count, uint64 metadata_kv_count, the key/value
/// pairs (string key, uint32 type, value), the tensor infos (string name, uint32 n_dims, uint64 ne[n_dims],
/// uint32 type, uint64 offset), padding to general.alignment, then the data section. Strings are a uint64 byte
/// length and UTF-8 bytes without a terminator. Version 2 has the same layout as version 3 (3 only added
/// big-endian files); version 1 used 32-bit counts and is not read.
/// </remarks>
public static class GgufReader
{
    private const int MaxArrayNesting = 8;

    /// <summary>Counts above this are refused even when the bytes could hold them: .NET lists index with int.</summary>
    private const ulong MaxEntries = int.MaxValue / 8;

    /// <summary>Parses the header of a GGUF file held in <paramref name="file"/> (the whole file, tensor data included).</summary>
    public static unsafe GgufHeader Parse(ReadOnlySpan<byte> file)
    {
        fixed (byte* p = file)
            return Parse(p, file.Length);
    }

    /// <summary>Parses the header of a GGUF file mapped at <paramref name="file"/> with <paramref name="length"/> bytes.</summary>
    public static unsafe GgufHeader Parse(byte* file, long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var c = new Cursor(file, length);
        uint magic = c.U32("magic");
        if (magic != GgufHeader.Magic)
            throw new GgufFormatException("magic", 0, $"expected \"GGUF\", found 0x{magic:X8} (not a GGUF file)");
        long versionAt = c.Position;
        uint version = c.U32("version");
        if (version is not (2 or 3))
        {
            string why = version == 1 ? "version 1 is not supported (re-convert the model)"
                : BinaryPrimitives.ReverseEndianness(version) is 2 or 3 ? "big-endian GGUF files are not supported"
                : $"unsupported version {version}";
            throw new GgufFormatException("version", versionAt, why);
        }

        long tensorCountAt = c.Position;
        ulong tensorCount = c.U64("tensor_count");
        long kvCountAt = c.Position;
        ulong kvCount = c.U64("metadata_kv_count");
        // Each key/value needs at least 8 (key length) + 4 (type) + 1 bytes; each tensor info at least 8+4+4+8.
        if (kvCount > (ulong)c.Remaining / 13 || kvCount > MaxEntries)
            throw new GgufFormatException("metadata_kv_count", kvCountAt, $"{kvCount} entries cannot fit in the {c.Remaining} bytes left");
        if (tensorCount > (ulong)c.Remaining / 24 || tensorCount > MaxEntries)
            throw new GgufFormatException("tensor_count", tensorCountAt, $"{tensorCount} tensors cannot fit in the {c.Remaining} bytes left");

        var metadata = ReadMetadata(ref c, kvCount, out long alignmentAt);
        int alignment = CheckAlignment(metadata, alignmentAt);
        var tensors = ReadTensorInfos(ref c, (int)tensorCount, alignment, out long[] offsetsAt);

        long dataOffset = (c.Position + alignment - 1) / alignment * alignment;
        CheckDataLayout(tensors, offsetsAt, length - dataOffset);
        return new GgufHeader(version, metadata, tensors, dataOffset);
    }

    private static GgufMetadata ReadMetadata(ref Cursor c, ulong kvCount, out long alignmentAt)
    {
        alignmentAt = -1;
        var metadata = new GgufMetadata();
        for (ulong i = 0; i < kvCount; i++)
        {
            long keyAt = c.Position;
            var keyField = new GgufFieldName("metadata", (long)i, ".key");
            string key = c.String(keyField);
            if (key.Length == 0)
                throw new GgufFormatException(keyField.ToString(), keyAt, "empty key");
            long typeAt = c.Position;
            uint type = c.U32($"metadata '{key}' type");
            if (!GgufValueTypes.IsValid(type))
                throw new GgufFormatException($"metadata '{key}' type", typeAt, $"unknown value type {type}");
            if (key == "general.alignment")
                alignmentAt = c.Position;
            var value = ReadValue(ref c, (GgufValueType)type, $"metadata '{key}'", 0);
            if (!metadata.TryAdd(key, value))
                throw new GgufFormatException(keyField.ToString(), keyAt, $"duplicate key '{key}'");
        }
        return metadata;
    }

    /// <summary>general.alignment must be a UInt32 power of two (gguf.cpp refuses anything else); 32 when absent.</summary>
    private static int CheckAlignment(GgufMetadata metadata, long valueAt)
    {
        if (!metadata.TryGetValue("general.alignment", out var value))
            return GgufHeader.DefaultAlignment;
        const string field = "metadata 'general.alignment'";
        if (value.Type != GgufValueType.UInt32)
            throw new GgufFormatException(field, valueAt, $"must be UInt32, found {value.Type}");
        long a = value.AsInt64();
        if (a <= 0 || a > 1 << 30 || (a & (a - 1)) != 0)
            throw new GgufFormatException(field, valueAt, $"{a} is not a power of two up to 2^30");
        return (int)a;
    }

    private static List<GgufTensorInfo> ReadTensorInfos(ref Cursor c, int count, int alignment, out long[] offsetsAt)
    {
        var tensors = new List<GgufTensorInfo>(count);
        var names = new HashSet<string>(StringComparer.Ordinal);
        offsetsAt = new long[count];
        for (int i = 0; i < count; i++)
        {
            long nameAt = c.Position;
            var nameField = new GgufFieldName("tensor", i, ".name");
            string name = c.String(nameField);
            if (!names.Add(name))
                throw new GgufFormatException(nameField.ToString(), nameAt, $"duplicate tensor name '{name}'");
            string field = $"tensor '{name}'";
            long dimsAt = c.Position;
            uint nDims = c.U32(field + " n_dims");
            if (nDims > GgufHeader.MaxDimensions)
                throw new GgufFormatException(field + " n_dims", dimsAt, $"{nDims} dimensions (at most {GgufHeader.MaxDimensions})");
            var dims = new long[nDims];
            long elements = 1;
            for (int d = 0; d < nDims; d++)
            {
                long at = c.Position;
                ulong ne = c.U64(new GgufFieldName(field + " ne", d));
                // ggml stores ne as int64_t: a value with the top bit set is negative, and the product must fit too.
                if (ne > long.MaxValue)
                    throw new GgufFormatException($"{field} ne[{d}]", at, $"dimension {ne} is out of range");
                dims[d] = (long)ne;
                if (ne != 0 && elements > long.MaxValue / (long)ne)
                    throw new GgufFormatException($"{field} ne[{d}]", at, "element count overflows 64 bits");
                elements *= (long)ne;
            }
            long typeAt = c.Position;
            uint typeId = c.U32(field + " type");
            if (!GgmlTypes.TryGet(typeId, out var info))
                throw new GgufFormatException(field + " type", typeAt, $"unknown tensor type {typeId}");
            // Quantized rows are whole blocks (ggml.c: ne[0] % blck_size == 0); a 0-D tensor has ne0 = 1.
            long rowLength = nDims > 0 ? dims[0] : 1;
            if (rowLength % info.BlockSize != 0)
                throw new GgufFormatException(field + " ne[0]", dimsAt + 4, $"row length {rowLength} is not a multiple of the {info.Name} block size {info.BlockSize}");
            if (elements / info.BlockSize > long.MaxValue / info.TypeSize)
                throw new GgufFormatException(field + " ne", dimsAt + 4, "byte size overflows 64 bits");
            offsetsAt[i] = c.Position;
            ulong offset = c.U64(field + " offset");
            if (offset > long.MaxValue)
                throw new GgufFormatException(field + " offset", offsetsAt[i], $"offset {offset} is out of range");
            if ((long)offset % alignment != 0)
                throw new GgufFormatException(field + " offset", offsetsAt[i], $"offset {offset} is not a multiple of the alignment {alignment}");
            tensors.Add(new GgufTensorInfo(name, dims, info.Type, (long)offset));
        }
        return tensors;
    }

    /// <summary>Data must lie inside the file and no two tensors may share bytes.</summary>
    private static void CheckDataLayout(List<GgufTensorInfo> tensors, long[] offsetsAt, long dataLength)
    {
        var order = new int[tensors.Count];
        var starts = new long[tensors.Count];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
            starts[i] = tensors[i].Offset;
        }
        Array.Sort(starts, order);

        long previousEnd = 0;
        string? previousName = null;
        foreach (int i in order)
        {
            var t = tensors[i];
            long size = t.ByteSize;
            if (t.Offset > dataLength || size > dataLength - t.Offset)
                throw new GgufFormatException($"tensor '{t.Name}' offset", offsetsAt[i],
                    $"data [{t.Offset}, {t.Offset + size}) runs past the end of the file ({Math.Max(0, dataLength)} data bytes)");
            // An empty tensor occupies no bytes, so it cannot overlap anything.
            if (size == 0)
                continue;
            if (previousName is not null && t.Offset < previousEnd)
                throw new GgufFormatException($"tensor '{t.Name}' offset", offsetsAt[i], $"data overlaps tensor '{previousName}'");
            previousEnd = t.Offset + size;
            previousName = t.Name;
        }
    }

    private static GgufValue ReadValue(ref Cursor c, GgufValueType type, GgufFieldName field, int depth)
    {
        switch (type)
        {
            case GgufValueType.UInt8: return GgufValue.FromUInt8(c.U8(field));
            case GgufValueType.Int8: return GgufValue.FromInt8((sbyte)c.U8(field));
            case GgufValueType.UInt16: return GgufValue.FromUInt16(c.U16(field));
            case GgufValueType.Int16: return GgufValue.FromInt16((short)c.U16(field));
            case GgufValueType.UInt32: return GgufValue.FromUInt32(c.U32(field));
            case GgufValueType.Int32: return GgufValue.FromInt32((int)c.U32(field));
            case GgufValueType.UInt64: return GgufValue.FromUInt64(c.U64(field));
            case GgufValueType.Int64: return GgufValue.FromInt64((long)c.U64(field));
            case GgufValueType.Float32: return GgufValue.FromFloat32(BitConverter.UInt32BitsToSingle(c.U32(field)));
            case GgufValueType.Float64: return GgufValue.FromFloat64(BitConverter.UInt64BitsToDouble(c.U64(field)));
            case GgufValueType.Bool:
            {
                long at = c.Position;
                byte b = c.U8(field);
                // gguf.cpp reads a bool as one byte; anything but 0 or 1 means the reader is out of step.
                if (b > 1)
                    throw new GgufFormatException(field.ToString(), at, $"bool byte is {b}, not 0 or 1");
                return GgufValue.FromBool(b == 1);
            }
            case GgufValueType.String: return GgufValue.FromString(c.String(field));
            case GgufValueType.Array: return ReadArray(ref c, field, depth);
            default: throw new GgufFormatException(field.ToString(), c.Position, $"unknown value type {(uint)type}");
        }
    }

    /// <summary>An array is uint32 element type, uint64 count, then the elements; an element that is itself an
    /// array repeats that layout (type, count, elements) without a per-element type tag.</summary>
    private static GgufValue ReadArray(ref Cursor c, GgufFieldName field, int depth)
    {
        long typeAt = c.Position;
        uint et = c.U32(field.With(" element type"));
        if (!GgufValueTypes.IsValid(et))
            throw new GgufFormatException(field.With(" element type").ToString(), typeAt, $"unknown value type {et}");
        if (depth >= MaxArrayNesting)
            throw new GgufFormatException(field.ToString(), typeAt, $"arrays nested deeper than {MaxArrayNesting}");
        var elementType = (GgufValueType)et;
        long countAt = c.Position;
        ulong count = c.U64(field.With(" count"));
        int min = GgufValueTypes.MinSize(elementType);
        if (count > (ulong)c.Remaining / (ulong)min)
            throw new GgufFormatException(field.With(" count").ToString(), countAt, $"{count} elements of {elementType} cannot fit in the {c.Remaining} bytes left");
        if (count > MaxEntries)
            throw new GgufFormatException(field.With(" count").ToString(), countAt, $"{count} elements is more than EdgeLM reads in one array");
        int n = (int)count;
        switch (elementType)
        {
            case GgufValueType.UInt8: return GgufValue.FromArray(elementType, c.Bytes(n, field).ToArray());
            case GgufValueType.Int8: return GgufValue.FromArray(elementType, MemoryMarshal.Cast<byte, sbyte>(c.Bytes(n, field)).ToArray());
            case GgufValueType.UInt16: return GgufValue.FromArray(elementType, Scalars<ushort>(ref c, n, field));
            case GgufValueType.Int16: return GgufValue.FromArray(elementType, Scalars<short>(ref c, n, field));
            case GgufValueType.UInt32: return GgufValue.FromArray(elementType, Scalars<uint>(ref c, n, field));
            case GgufValueType.Int32: return GgufValue.FromArray(elementType, Scalars<int>(ref c, n, field));
            case GgufValueType.UInt64: return GgufValue.FromArray(elementType, Scalars<ulong>(ref c, n, field));
            case GgufValueType.Int64: return GgufValue.FromArray(elementType, Scalars<long>(ref c, n, field));
            case GgufValueType.Float32: return GgufValue.FromArray(elementType, Scalars<float>(ref c, n, field));
            case GgufValueType.Float64: return GgufValue.FromArray(elementType, Scalars<double>(ref c, n, field));
            case GgufValueType.Bool:
            {
                long at = c.Position;
                var raw = c.Bytes(n, field);
                var bools = new bool[n];
                for (int i = 0; i < n; i++)
                {
                    if (raw[i] > 1)
                        throw new GgufFormatException(new GgufFieldName(field.ToString(), i).ToString(), at + i, $"bool byte is {raw[i]}, not 0 or 1");
                    bools[i] = raw[i] == 1;
                }
                return GgufValue.FromArray(elementType, bools);
            }
            case GgufValueType.String:
            {
                var strings = new string[n];
                string self = field.ToString();
                for (int i = 0; i < n; i++)
                    strings[i] = c.String(new GgufFieldName(self, i));
                return GgufValue.FromArray(elementType, strings);
            }
            default:
            {
                var items = new GgufValue[n];
                string self = field.ToString();
                for (int i = 0; i < n; i++)
                    items[i] = ReadArray(ref c, new GgufFieldName(self, i), depth + 1);
                return GgufValue.FromArray(elementType, items);
            }
        }
    }

    private static T[] Scalars<T>(ref Cursor c, int n, GgufFieldName field) where T : unmanaged
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("EdgeLM reads GGUF on little-endian hosts only");
        var bytes = c.Bytes(checked(n * Unsafe.SizeOf<T>()), field);
        return MemoryMarshal.Cast<byte, T>(bytes).ToArray();
    }

    /// <summary>Bounds-checked little-endian reads that report the field and offset on truncation.</summary>
    private unsafe ref struct Cursor(byte* data, long length)
    {
        private readonly byte* _data = data;
        private readonly long _length = length;
        private long _pos;

        public readonly long Position => _pos;
        public readonly long Remaining => _length - _pos;

        public ReadOnlySpan<byte> Bytes(int n, GgufFieldName field)
        {
            if (n < 0 || n > _length - _pos)
                throw new GgufFormatException(field.ToString(), _pos, $"needs {n} bytes but the file ends after {_length - _pos}");
            var s = new ReadOnlySpan<byte>(_data + _pos, n);
            _pos += n;
            return s;
        }

        public byte U8(GgufFieldName field) => Bytes(1, field)[0];
        public ushort U16(GgufFieldName field) => BinaryPrimitives.ReadUInt16LittleEndian(Bytes(2, field));
        public uint U32(GgufFieldName field) => BinaryPrimitives.ReadUInt32LittleEndian(Bytes(4, field));
        public ulong U64(GgufFieldName field) => BinaryPrimitives.ReadUInt64LittleEndian(Bytes(8, field));

        /// <summary>A uint64 byte length, then that many bytes of strict UTF-8 (gguf.h: gguf_string_t).</summary>
        public string String(GgufFieldName field)
        {
            long at = _pos;
            ulong len = U64(field.With(" length"));
            if (len > (ulong)(_length - _pos))
                throw new GgufFormatException(field.ToString(), at, $"string length {len} runs past the end of the file ({_length - _pos} bytes left)");
            if (len > int.MaxValue)
                throw new GgufFormatException(field.ToString(), at, $"string length {len} is more than EdgeLM reads");
            var bytes = Bytes((int)len, field);
            if (!Utf8.IsValid(bytes))
                throw new GgufFormatException(field.ToString(), at + 8 + FirstInvalidUtf8(bytes), "string is not valid UTF-8");
            return Encoding.UTF8.GetString(bytes);
        }

        private static int FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
        {
            int i = 0;
            while (i < bytes.Length && Rune.DecodeFromUtf8(bytes[i..], out _, out int consumed) == System.Buffers.OperationStatus.Done)
                i += consumed;
            return i;
        }
    }
}
