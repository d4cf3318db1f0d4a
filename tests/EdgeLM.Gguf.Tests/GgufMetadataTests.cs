namespace EdgeLM.Gguf.Tests;

public sealed class GgufMetadataTests
{
    private static GgufMetadata Sample()
    {
        var md = new GgufMetadata();
        md.Set("name", GgufValue.FromString("x"));
        md.Set("count", GgufValue.FromUInt32(7));
        md.Set("big", GgufValue.FromUInt64(ulong.MaxValue));
        md.Set("neg", GgufValue.FromInt32(-1));
        md.Set("scale", GgufValue.FromFloat32(0.5f));
        md.Set("tokens", GgufValue.FromStrings(["a"]));
        md.Set("ids", GgufValue.FromArray(GgufValueType.Int64, new long[] { 1, long.MaxValue }));
        return md;
    }

    [Theory]
    [InlineData("name")]
    [InlineData("scale")]
    [InlineData("tokens")]
    public void Reading_a_value_as_an_integer_of_another_type_names_the_key(string key)
    {
        var e = Assert.Throws<GgufMetadataException>(() => Sample().GetInt32(key));
        Assert.Equal(key, e.Key);
        Assert.Contains($"'{key}'", e.Message);
    }

    [Fact]
    public void Missing_key_is_named()
    {
        var e = Assert.Throws<GgufMetadataException>(() => Sample().GetFloat32("llama.rope.freq_base"));
        Assert.Equal("llama.rope.freq_base", e.Key);
        Assert.Contains("missing", e.Message);
    }

    [Fact]
    public void Values_that_do_not_fit_the_requested_type_name_the_key()
    {
        var md = Sample();
        Assert.Equal("big", Assert.Throws<GgufMetadataException>(() => md.GetInt64("big")).Key);
        Assert.Equal("big", Assert.Throws<GgufMetadataException>(() => md.GetInt32("big")).Key);
        Assert.Equal("neg", Assert.Throws<GgufMetadataException>(() => md.GetUInt32("neg")).Key);
        Assert.Equal("neg", Assert.Throws<GgufMetadataException>(() => md.GetUInt64("neg")).Key);
        Assert.Equal("ids", Assert.Throws<GgufMetadataException>(() => md.GetInt32Array("ids")).Key);
        Assert.Equal("count", Assert.Throws<GgufMetadataException>(() => md.GetStringArray("count")).Key);
        Assert.Equal("tokens", Assert.Throws<GgufMetadataException>(() => md.GetFloat32Array("tokens")).Key);
        Assert.Equal("count", Assert.Throws<GgufMetadataException>(() => md.GetBool("count")).Key);
    }

    [Fact]
    public void Typed_accessors_convert_compatible_values()
    {
        var md = Sample();
        Assert.Equal(7, md.GetInt32("count"));
        Assert.Equal(7f, md.GetFloat32("count"));
        Assert.Equal(ulong.MaxValue, md.GetUInt64("big"));
        Assert.Equal(0.5, md.GetFloat64("scale"));
        Assert.Equal(3, md.GetInt32Or("absent", 3));
        Assert.Null(md.GetStringOrNull("absent"));
    }

    [Fact]
    public void Set_replaces_in_place_and_remove_keeps_order()
    {
        var md = Sample();
        md.Set("count", GgufValue.FromUInt32(8));
        Assert.Equal("count", md[1].Key);
        Assert.True(md.Remove("name"));
        Assert.Equal(["count", "big", "neg", "scale", "tokens", "ids"], md.Keys);
        Assert.Equal(8, md.GetInt32("count"));
    }
}
