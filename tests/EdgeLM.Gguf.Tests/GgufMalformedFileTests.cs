using System.Text;
using EdgeLM.Gguf.Tests.Support;

namespace EdgeLM.Gguf.Tests;

/// <summary>Each kind of damage gives a GgufFormatException naming the field and the byte offset where it was read.</summary>
public sealed class GgufMalformedFileTests
{
    private static readonly byte[] s_sample = GgufBytes.Sample();
    private static readonly GgufLayoutMap s_map = GgufLayoutMap.Of(s_sample);

    [Fact]
    public void The_sample_file_itself_parses()
    {
        var header = GgufReader.Parse(s_sample);
        Assert.Equal(2, header.Tensors.Count);
        Assert.Equal(4, header.Metadata.Count);
    }

    [Fact]
    public void Wrong_magic_is_reported_at_offset_0()
    {
        var e = GgufBytes.ParseFails(GgufBytes.With(s_sample, 0, 0x4C4C4747, 4));
        Assert.Equal("magic", e.Field);
        Assert.Equal(0, e.Offset);
        Assert.Contains("not a GGUF file", e.Message);
    }

    [Theory]
    [InlineData(0u, "unsupported version 0")]
    [InlineData(1u, "version 1")]
    [InlineData(4u, "unsupported version 4")]
    [InlineData(0x03000000u, "big-endian")]
    public void Unsupported_versions_are_reported_at_offset_4(uint version, string why)
    {
        var e = GgufBytes.ParseFails(GgufBytes.With(s_sample, 4, version, 4));
        Assert.Equal("version", e.Field);
        Assert.Equal(4, e.Offset);
        Assert.Contains(why, e.Message);
    }

    [Fact]
    public void Version_2_files_are_read()
    {
        var header = GgufReader.Parse(GgufBytes.Sample(version: 2));
        Assert.Equal(2u, header.Version);
        Assert.Equal("sample", header.Metadata.GetString("general.name"));
    }

    [Fact]
    public void Truncation_at_every_offset_before_the_data_end_throws_a_format_exception()
    {
        var header = GgufReader.Parse(s_sample);
        long dataEnd = header.DataOffset + header.Tensors.Max(t => t.Offset + t.ByteSize);
        for (int n = 0; n < dataEnd; n++)
        {
            var e = Assert.Throws<GgufFormatException>(() => GgufReader.Parse(s_sample.AsSpan(0, n)));
            Assert.InRange(e.Offset, 0, Math.Max(n, s_map.HeaderEnd));
        }
        // Cutting only the padding after the last tensor leaves a complete file.
        GgufReader.Parse(s_sample.AsSpan(0, (int)dataEnd));
    }

    [Fact]
    public void Truncation_inside_a_field_names_that_field()
    {
        var field = s_map.Field("tensor_count");
        var e = Assert.Throws<GgufFormatException>(() => GgufReader.Parse(s_sample.AsSpan(0, field.Offset + 3)));
        Assert.Equal("tensor_count", e.Field);
        Assert.Equal(field.Offset, e.Offset);

        var len = s_map.Field("metadata[1].key length");
        // A string cut short is reported at its length, the field that promised more bytes than remain.
        e = Assert.Throws<GgufFormatException>(() => GgufReader.Parse(s_sample.AsSpan(0, len.Offset + 8 + 3)));
        Assert.Equal("metadata[1].key", e.Field);
        Assert.Equal(len.Offset, e.Offset);
    }

    [Theory]
    [InlineData("tensor_count")]
    [InlineData("metadata_kv_count")]
    public void Counts_that_run_past_the_end_name_the_count(string name)
    {
        var field = s_map.Field(name);
        foreach (ulong huge in new[] { 1UL << 20, 1UL << 40, ulong.MaxValue })
        {
            var e = GgufBytes.ParseFails(GgufBytes.With(s_sample, field, huge));
            Assert.Equal(name, e.Field);
            Assert.Equal(field.Offset, e.Offset);
        }
    }

    [Fact]
    public void Array_count_that_runs_past_the_end_names_the_array()
    {
        var field = s_map.Field("metadata 'tokenizer.ggml.tokens' count");
        var e = GgufBytes.ParseFails(GgufBytes.With(s_sample, field, 1UL << 62));
        Assert.Equal("metadata 'tokenizer.ggml.tokens' count", e.Field);
        Assert.Equal(field.Offset, e.Offset);
    }

    [Theory]
    [InlineData("metadata[0].key length", "metadata[0].key")]
    [InlineData("metadata 'general.name' length", "metadata 'general.name'")]
    [InlineData("metadata 'tokenizer.ggml.tokens'[2] length", "metadata 'tokenizer.ggml.tokens'[2]")]
    [InlineData("tensor[1].name length", "tensor[1].name")]
    public void String_lengths_that_run_past_the_end_name_the_string(string lengthField, string expected)
    {
        var field = s_map.Field(lengthField);
        foreach (ulong huge in new[] { (ulong)s_sample.Length, 1UL << 31, ulong.MaxValue })
        {
            var e = GgufBytes.ParseFails(GgufBytes.With(s_sample, field, huge));
            Assert.Equal(expected, e.Field);
            Assert.Equal(field.Offset, e.Offset);
            Assert.Contains("runs past the end", e.Message);
        }
    }

    [Fact]
    public void Tensor_data_past_the_end_of_the_file_names_the_tensor_offset()
    {
        var field = s_map.Field("tensor 'b' offset");
        var e = GgufBytes.ParseFails(GgufBytes.With(s_sample, field, 1UL << 20));
        Assert.Equal("tensor 'b' offset", e.Field);
        Assert.Equal(field.Offset, e.Offset);
        Assert.Contains("runs past the end", e.Message);
    }

    [Fact]
    public void Overlapping_tensor_data_names_the_later_tensor()
    {
        // 'a' is 16x2 F32 = 128 bytes at 0; moving 'b' to 32 puts it inside 'a'.
        var field = s_map.Field("tensor 'b' offset");
        var e = GgufBytes.ParseFails(GgufBytes.With(s_sample, field, 32));
        Assert.Equal("tensor 'b' offset", e.Field);
        Assert.Equal(field.Offset, e.Offset);
        Assert.Contains("overlaps tensor 'a'", e.Message);
    }

    [Fact]
    public void Unaligned_tensor_offset_is_refused()
    {
        var field = s_map.Field("tensor 'b' offset");
        var e = GgufBytes.ParseFails(GgufBytes.With(s_sample, field, 130));
        Assert.Equal("tensor 'b' offset", e.Field);
        Assert.Contains("alignment 32", e.Message);
    }

    [Theory]
    [InlineData(4u)]   // Q4_2, retired
    [InlineData(31u)]  // never assigned
    [InlineData(40u)]
    [InlineData(0xFFFFFFFFu)]
    public void Unknown_tensor_types_name_the_type_field(uint type)
    {
        var field = s_map.Field("tensor 'a' type");
        var e = GgufBytes.ParseFails(GgufBytes.With(s_sample, field, type));
        Assert.Equal("tensor 'a' type", e.Field);
        Assert.Equal(field.Offset, e.Offset);
        Assert.Contains($"unknown tensor type {type}", e.Message);
    }

    [Fact]
    public void Dimension_product_overflow_names_the_dimension()
    {
        var ne0 = s_map.Field("tensor 'a' ne[0]");
        var ne1 = s_map.Field("tensor 'a' ne[1]");
        var file = GgufBytes.With(GgufBytes.With(s_sample, ne0, 1UL << 32), ne1, 1UL << 32);
        var e = GgufBytes.ParseFails(file);
        Assert.Equal("tensor 'a' ne[1]", e.Field);
        Assert.Equal(ne1.Offset, e.Offset);
        Assert.Contains("overflows", e.Message);
    }

    [Fact]
    public void Negative_dimension_names_the_dimension()
    {
        var ne0 = s_map.Field("tensor 'a' ne[0]");
        var e = GgufBytes.ParseFails(GgufBytes.With(s_sample, ne0, ulong.MaxValue));
        Assert.Equal("tensor 'a' ne[0]", e.Field);
        Assert.Equal(ne0.Offset, e.Offset);
    }

    [Fact]
    public void Byte_size_overflow_is_refused()
    {
        // 2^61 F32 elements fit in an int64 count but not in an int64 byte size.
        var ne0 = s_map.Field("tensor 'a' ne[0]");
        var ne1 = s_map.Field("tensor 'a' ne[1]");
        var file = GgufBytes.With(GgufBytes.With(s_sample, ne0, 1UL << 31), ne1, 1UL << 30);
        var e = GgufBytes.ParseFails(file);
        Assert.Equal("tensor 'a' ne", e.Field);
        Assert.Contains("byte size overflows", e.Message);
    }

    [Fact]
    public void Too_many_dimensions_names_n_dims()
    {
        var field = s_map.Field("tensor 'a' n_dims");
        var e = GgufBytes.ParseFails(GgufBytes.With(s_sample, field, 5));
        Assert.Equal("tensor 'a' n_dims", e.Field);
        Assert.Equal(field.Offset, e.Offset);
    }

    [Fact]
    public void Quantized_row_that_is_not_whole_blocks_is_refused()
    {
        var field = s_map.Field("tensor 'a' type");
        var e = GgufBytes.ParseFails(GgufBytes.With(s_sample, field, (uint)GgmlType.Q8_0));
        Assert.Equal("tensor 'a' ne[0]", e.Field);
        Assert.Contains("block size 32", e.Message);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF })]               // never valid in UTF-8
    [InlineData(new byte[] { 0xC0, 0x80 })]         // overlong encoding of NUL
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]   // a UTF-16 surrogate
    public void Invalid_utf8_names_the_string_and_the_bad_byte(byte[] bad)
    {
        // "general.name" = "sample": overwrite from its third byte.
        var len = s_map.Field("metadata 'general.name' length");
        var file = (byte[])s_sample.Clone();
        bad.CopyTo(file, len.Offset + 8 + 2);
        var e = GgufBytes.ParseFails(file);
        Assert.Equal("metadata 'general.name'", e.Field);
        Assert.Equal(len.Offset + 8 + 2, e.Offset);
        Assert.Contains("UTF-8", e.Message);
    }

    [Fact]
    public void Invalid_utf8_in_a_key_names_the_key_index()
    {
        var len = s_map.Field("metadata[3].key length");
        var file = (byte[])s_sample.Clone();
        file[len.Offset + 8] = 0x80; // a lone continuation byte
        var e = GgufBytes.ParseFails(file);
        Assert.Equal("metadata[3].key", e.Field);
        Assert.Equal(len.Offset + 8, e.Offset);
    }

    [Fact]
    public void Unknown_value_type_names_the_key()
    {
        var field = s_map.Field("metadata 'general.name' type");
        var e = GgufBytes.ParseFails(GgufBytes.With(s_sample, field, 13));
        Assert.Equal("metadata 'general.name' type", e.Field);
        Assert.Equal(field.Offset, e.Offset);
    }

    [Fact]
    public void Bool_byte_other_than_0_or_1_is_refused()
    {
        var field = s_map.Field("metadata 'test.flag'");
        var e = GgufBytes.ParseFails(GgufBytes.With(s_sample, field, 2));
        Assert.Equal("metadata 'test.flag'", e.Field);
        Assert.Equal(field.Offset, e.Offset);
    }

    [Fact]
    public void Duplicate_key_names_the_second_entry()
    {
        // Two keys of equal length; changing the last letter of the second makes it repeat the first.
        var md = new GgufMetadata();
        md.Set("k.a", GgufValue.FromUInt32(1));
        md.Set("k.b", GgufValue.FromUInt32(2));
        var file = GgufBytes.Write(md);
        var map = GgufLayoutMap.Of(file);
        var key1 = map.Field("metadata[1].key length");
        file[key1.Offset + 8 + 2] = (byte)'a';
        var e = GgufBytes.ParseFails(file);
        Assert.Equal("metadata[1].key", e.Field);
        Assert.Equal(key1.Offset, e.Offset);
        Assert.Contains("duplicate key 'k.a'", e.Message);
    }

    [Fact]
    public void Duplicate_tensor_name_is_refused()
    {
        var name = s_map.Field("tensor[1].name length");
        var file = (byte[])s_sample.Clone();
        file[name.Offset + 8] = (byte)'a';
        var e = GgufBytes.ParseFails(file);
        Assert.Equal("tensor[1].name", e.Field);
        Assert.Equal(name.Offset, e.Offset);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(48u)]
    [InlineData(1u << 31)]
    public void Alignment_that_is_not_a_power_of_two_names_its_value(uint alignment)
    {
        var md = new GgufMetadata();
        md.Set("general.alignment", GgufValue.FromUInt32(64));
        var file = GgufBytes.Write(md, 3, ("t", [4], GgmlType.F32));
        var field = GgufLayoutMap.Of(file).Field("metadata 'general.alignment'");
        var e = GgufBytes.ParseFails(GgufBytes.With(file, field, alignment));
        Assert.Equal("metadata 'general.alignment'", e.Field);
        Assert.Equal(field.Offset, e.Offset);
    }

    [Fact]
    public void Alignment_of_another_type_is_refused()
    {
        // The writer refuses such a file, so it is built by hand: header + one UInt64 key.
        byte[] key = Encoding.UTF8.GetBytes("general.alignment");
        var bytes = new List<byte>();
        bytes.AddRange(BitConverter.GetBytes(GgufHeader.Magic));
        bytes.AddRange(BitConverter.GetBytes(3u));
        bytes.AddRange(BitConverter.GetBytes(0UL));
        bytes.AddRange(BitConverter.GetBytes(1UL));
        bytes.AddRange(BitConverter.GetBytes((ulong)key.Length));
        bytes.AddRange(key);
        bytes.AddRange(BitConverter.GetBytes((uint)GgufValueType.UInt64));
        int valueAt = bytes.Count;
        bytes.AddRange(BitConverter.GetBytes(32UL));
        var e = GgufBytes.ParseFails(bytes.ToArray());
        Assert.Equal("metadata 'general.alignment'", e.Field);
        Assert.Equal(valueAt, e.Offset);
        Assert.Contains("UInt32", e.Message);
    }

    [Fact]
    public void Arrays_nested_too_deep_are_refused()
    {
        var v = GgufValue.FromArray(GgufValueType.Int32, new[] { 1 });
        for (int i = 0; i < 9; i++)
            v = GgufValue.FromArray(GgufValueType.Array, new[] { v });
        var md = new GgufMetadata();
        md.Set("deep", v);
        var e = GgufBytes.ParseFails(GgufBytes.Write(md));
        Assert.StartsWith("metadata 'deep'", e.Field);
        Assert.Contains("nested deeper", e.Message);
    }

    [Fact]
    public void Opening_a_short_or_foreign_file_throws_a_format_exception()
    {
        string dir = Directory.CreateTempSubdirectory("edgelm-gguf-").FullName;
        try
        {
            string small = Path.Combine(dir, "small.gguf");
            File.WriteAllBytes(small, "GGU"u8.ToArray());
            Assert.Equal("magic", Assert.Throws<GgufFormatException>(() => GgufFile.Open(small)).Field);
            string text = Path.Combine(dir, "text.gguf");
            File.WriteAllText(text, "this is not a model file at all");
            Assert.Equal("magic", Assert.Throws<GgufFormatException>(() => GgufFile.Open(text)).Field);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
