using EdgeLM.Gguf.Tests.Support;
using FsCheck;
using FsCheck.Fluent;

namespace EdgeLM.Gguf.Tests;

public sealed class GgufWriterTests
{
    private static GgufMetadata EveryValueType()
    {
        var md = new GgufMetadata();
        md.Set("u8", GgufValue.FromUInt8(255));
        md.Set("i8", GgufValue.FromInt8(-128));
        md.Set("u16", GgufValue.FromUInt16(65535));
        md.Set("i16", GgufValue.FromInt16(-32768));
        md.Set("u32", GgufValue.FromUInt32(uint.MaxValue));
        md.Set("i32", GgufValue.FromInt32(int.MinValue));
        md.Set("u64", GgufValue.FromUInt64(ulong.MaxValue));
        md.Set("i64", GgufValue.FromInt64(long.MinValue));
        md.Set("f32", GgufValue.FromFloat32(-0.0f));
        md.Set("f64", GgufValue.FromFloat64(Math.PI));
        md.Set("bool", GgufValue.FromBool(true));
        md.Set("str", GgufValue.FromString("héllo ✓ 🦙"));
        md.Set("empty", GgufValue.FromString(""));
        md.Set("a.u8", GgufValue.FromArray(GgufValueType.UInt8, new byte[] { 0, 1, 255 }));
        md.Set("a.i8", GgufValue.FromArray(GgufValueType.Int8, new sbyte[] { -1, 2 }));
        md.Set("a.u16", GgufValue.FromArray(GgufValueType.UInt16, new ushort[] { 1, 65535 }));
        md.Set("a.i16", GgufValue.FromArray(GgufValueType.Int16, new short[] { -2, 3 }));
        md.Set("a.u32", GgufValue.FromArray(GgufValueType.UInt32, new uint[] { 7, uint.MaxValue }));
        md.Set("a.i32", GgufValue.FromInt32s([-5, 6]));
        md.Set("a.u64", GgufValue.FromArray(GgufValueType.UInt64, new ulong[] { ulong.MaxValue }));
        md.Set("a.i64", GgufValue.FromArray(GgufValueType.Int64, new long[] { long.MinValue, 0 }));
        md.Set("a.f32", GgufValue.FromFloats([1.5f, float.NaN, float.NegativeInfinity]));
        md.Set("a.f64", GgufValue.FromArray(GgufValueType.Float64, new[] { 1e300, -2.5 }));
        md.Set("a.bool", GgufValue.FromArray(GgufValueType.Bool, new[] { true, false, true }));
        md.Set("a.str", GgufValue.FromStrings(["<unk>", "", "▁the"]));
        md.Set("a.empty", GgufValue.FromArray(GgufValueType.Float32, Array.Empty<float>()));
        md.Set("a.nested", GgufValue.FromArray(GgufValueType.Array, new[]
        {
            GgufValue.FromStrings(["x", "y"]),
            GgufValue.FromArray(GgufValueType.Array, new[] { GgufValue.FromInt32s([1, 2, 3]), GgufValue.FromInt32s([]) }),
            GgufValue.FromArray(GgufValueType.Bool, new[] { false }),
        }));
        return md;
    }

    private static byte[] ToBytes(GgufWriter writer)
    {
        using var ms = new MemoryStream();
        writer.WriteTo(ms);
        return ms.ToArray();
    }

    [Fact]
    public void Every_value_type_round_trips_through_writer_and_reader()
    {
        var md = EveryValueType();
        byte[] bytes = GgufBytes.Write(md);
        var back = GgufReader.Parse(bytes).Metadata;

        Assert.Equal(md.Keys, back.Keys);
        foreach (var (key, value) in md)
            AssertSameValue(value, back.Get(key), key);
        Assert.Equal(bytes, GgufBytes.Write(back));
    }

    [Fact]
    public void Nested_arrays_keep_their_structure()
    {
        var v = GgufReader.Parse(GgufBytes.Write(EveryValueType())).Metadata.Get("a.nested");
        Assert.Equal(GgufValueType.Array, v.ElementType);
        var items = v.AsArray<GgufValue>();
        Assert.Equal(["x", "y"], items[0].AsArray<string>());
        var inner = items[1].AsArray<GgufValue>();
        Assert.Equal([1, 2, 3], inner[0].AsArray<int>());
        Assert.Empty(inner[1].AsArray<int>());
        Assert.Equal([false], items[2].AsArray<bool>());
    }

    private static void AssertSameValue(GgufValue expected, GgufValue actual, string key)
    {
        Assert.True(expected.Type == actual.Type, $"{key}: type {actual.Type}, expected {expected.Type}");
        Assert.Equal(expected.ElementType, actual.ElementType);
        if (!expected.IsArray)
        {
            Assert.Equal(expected.RawBitsForTest(), actual.RawBitsForTest());
            Assert.Equal(expected.ToString(), actual.ToString());
            return;
        }
        Assert.Equal(expected.Count, actual.Count);
        if (expected.ArrayValue is GgufValue[] items)
        {
            var got = (GgufValue[])actual.ArrayValue!;
            for (int i = 0; i < items.Length; i++)
                AssertSameValue(items[i], got[i], $"{key}[{i}]");
        }
        else if (expected.ArrayValue is float[] floats)
            Assert.Equal(floats.Select(BitConverter.SingleToUInt32Bits), ((float[])actual.ArrayValue!).Select(BitConverter.SingleToUInt32Bits));
        else
            Assert.Equal(expected.ArrayValue!.Cast<object>(), actual.ArrayValue!.Cast<object>());
    }

    [Fact]
    public void Random_string_and_integer_metadata_round_trips()
    {
        var gen =
            from keys in Gen.ArrayOf(ArbMap.Default.GeneratorFor<NonEmptyString>().Select(s => s.Get))
            from ints in ArbMap.Default.GeneratorFor<int[]>()
            from text in ArbMap.Default.GeneratorFor<string[]>()
            select (keys, ints, text);
        Prop.ForAll(gen.ToArbitrary(), input =>
        {
            var md = new GgufMetadata();
            foreach (string k in input.keys.Where(k => !char.IsSurrogate(k[^1]) && !k.Any(char.IsSurrogate)).Distinct())
                md.Set(k, GgufValue.FromString(k));
            md.Set("ints", GgufValue.FromInt32s(input.ints));
            md.Set("text", GgufValue.FromStrings(input.text.Select(t => (t ?? "").Where(ch => !char.IsSurrogate(ch)).Aggregate("", (a, ch) => a + ch)).ToArray()));
            var back = GgufReader.Parse(GgufBytes.Write(md)).Metadata;
            return back.Keys.SequenceEqual(md.Keys)
                && back.GetInt32Array("ints").SequenceEqual(input.ints)
                && back.GetStringArray("text").SequenceEqual(md.GetStringArray("text"))
                && md.Keys.Where(k => k is not ("ints" or "text")).All(k => back.GetString(k) == md.GetString(k));
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Version_2_files_are_written_and_read_back()
    {
        var md = EveryValueType();
        var w = new GgufWriter(md, version: 2);
        w.AddTensor("t", [64, 3], GgmlType.Q8_0, new byte[3 * 2 * 34]);
        byte[] bytes = ToBytes(w);
        Assert.Equal(2u, BitConverter.ToUInt32(bytes, 4));
        var header = GgufReader.Parse(bytes);
        Assert.Equal(2u, header.Version);
        Assert.Equal(md.Count, header.Metadata.Count);
        Assert.Equal(GgmlType.Q8_0, header.Tensors.Single().Type);
        Assert.Equal(new long[] { 64, 3 }, header.Tensors.Single().Dimensions);
    }

    [Theory]
    [InlineData(1u)]
    [InlineData(8u)]
    [InlineData(64u)]
    [InlineData(4096u)]
    public void Alignment_other_than_32_places_data_on_that_boundary(uint alignment)
    {
        var md = new GgufMetadata();
        md.Set("general.alignment", GgufValue.FromUInt32(alignment));
        byte[] file = GgufBytes.Write(md, 3, ("x", [3], GgmlType.F32), ("y", [5], GgmlType.F16), ("z", [32], GgmlType.Q4_0));
        string path = Path.Combine(Path.GetTempPath(), $"edgelm-align-{alignment}-{Guid.NewGuid():N}.gguf");
        File.WriteAllBytes(path, file);
        try
        {
            using var g = GgufFile.Open(path);
            Assert.Equal((int)alignment, g.Alignment);
            Assert.Equal(0, g.DataOffset % alignment);
            foreach (var t in g.Tensors)
            {
                Assert.Equal(0, t.Offset % alignment);
                // Zero-copy: the view is the mapped file's bytes at DataOffset + Offset.
                Assert.Equal(g.Bytes(g.DataOffset + t.Offset, (int)t.ByteSize).ToArray(), g.TensorData(t).ToArray());
                Assert.Equal((byte)t.Name.Length, g.TensorData(t)[0]);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(24u)]
    public void Writer_refuses_an_alignment_readers_would_refuse(uint alignment)
    {
        var md = new GgufMetadata();
        md.Set("general.alignment", GgufValue.FromUInt32(alignment));
        Assert.Throws<ArgumentException>(() => ToBytes(new GgufWriter(md)));
    }

    [Fact]
    public void A_throwing_tensor_callback_leaves_no_file_behind()
    {
        string dir = Directory.CreateTempSubdirectory("edgelm-writer-").FullName;
        try
        {
            string path = Path.Combine(dir, "out.gguf");
            var w = new GgufWriter(EveryValueType());
            w.AddTensor("ok", [8], GgmlType.F32, new byte[32]);
            w.AddTensor("bad", [8], GgmlType.F32, s =>
            {
                s.Write(new byte[10]);
                throw new IOException("disk on fire");
            });
            Assert.Throws<IOException>(() => w.WriteFile(path));
            Assert.Empty(Directory.EnumerateFileSystemEntries(dir));

            // An existing file under the final name is left as it was.
            File.WriteAllText(path, "previous");
            Assert.Throws<IOException>(() => w.WriteFile(path));
            Assert.Equal("previous", File.ReadAllText(path));
            Assert.Single(Directory.EnumerateFileSystemEntries(dir));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void A_callback_writing_the_wrong_byte_count_fails()
    {
        var w = new GgufWriter(new GgufMetadata());
        w.AddTensor("short", [8], GgmlType.F32, s => s.Write(new byte[31]));
        var e = Assert.Throws<InvalidOperationException>(() => ToBytes(w));
        Assert.Contains("short", e.Message);
    }

    [Fact]
    public void Arrays_of_arrays_must_hold_arrays()
    {
        Assert.Throws<ArgumentException>(() => GgufValue.FromArray(GgufValueType.Array, new[] { GgufValue.FromInt32(1) }));
        Assert.Throws<ArgumentException>(() => GgufValue.FromStrings(["a", null!]));
        Assert.Throws<ArgumentException>(() => GgufValue.FromArray(GgufValueType.Int32, new long[] { 1 }));
    }

    [Fact]
    public void Negative_dimensions_are_refused()
    {
        var w = new GgufWriter(new GgufMetadata());
        Assert.Throws<ArgumentException>(() => w.AddTensor("t", [4, -1], GgmlType.F32, _ => { }));
    }
}
