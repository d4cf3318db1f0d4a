using System.Buffers.Binary;

namespace EdgeLM.Gguf.Tests.Support;

/// <summary>Small GGUF files made with the writer, and byte patches on them, for tests of bad input.</summary>
public static class GgufBytes
{
    public static byte[] Write(GgufMetadata metadata, uint version = 3, params (string Name, long[] Dims, GgmlType Type)[] tensors)
    {
        var writer = new GgufWriter(metadata, version);
        foreach (var (name, dims, type) in tensors)
        {
            long size = new GgufTensorInfo(name, dims, type, 0).ByteSize;
            var data = new byte[size];
            for (int i = 0; i < data.Length; i++)
                data[i] = (byte)(i * 7 + name.Length);
            writer.AddTensor(name, dims, type, data);
        }
        using var ms = new MemoryStream();
        writer.WriteTo(ms);
        return ms.ToArray();
    }

    /// <summary>A file with two string keys, a string array, and two F32 tensors 'a' (16x2) and 'b' (8).</summary>
    public static byte[] Sample(uint version = 3)
    {
        var md = new GgufMetadata();
        md.Set("general.architecture", GgufValue.FromString("test"));
        md.Set("general.name", GgufValue.FromString("sample"));
        md.Set("tokenizer.ggml.tokens", GgufValue.FromStrings(["<unk>", "a", "b", "ab"]));
        md.Set("test.flag", GgufValue.FromBool(true));
        return Write(md, version, ("a", [16, 2], GgmlType.F32), ("b", [8], GgmlType.F32));
    }

    public static byte[] With(byte[] file, int offset, ulong value, int size)
    {
        var copy = (byte[])file.Clone();
        switch (size)
        {
            case 1: copy[offset] = (byte)value; break;
            case 2: BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(offset), (ushort)value); break;
            case 4: BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(offset), (uint)value); break;
            case 8: BinaryPrimitives.WriteUInt64LittleEndian(copy.AsSpan(offset), value); break;
            default: throw new ArgumentOutOfRangeException(nameof(size));
        }
        return copy;
    }

    public static byte[] With(byte[] file, GgufField field, ulong value) => With(file, field.Offset, value, field.Size);

    public static GgufFormatException ParseFails(byte[] file) =>
        Assert.Throws<GgufFormatException>(() => GgufReader.Parse(file));
}
