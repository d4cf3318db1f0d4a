using EdgeLM.Gguf;

namespace EdgeLM.Gguf.Tests;

public sealed class GgmlTypeTests
{
    [Theory]
    [InlineData(GgmlType.Q4_K, 256, 144)]
    [InlineData(GgmlType.Q8_0, 32, 34)]
    [InlineData(GgmlType.BF16, 1, 2)]
    public void Type_table_has_ggml_block_geometry(GgmlType type, int block, int bytes)
    {
        var info = GgmlTypes.Info(type);
        Assert.Equal(block, info.BlockSize);
        Assert.Equal(bytes, info.TypeSize);
    }

    [Fact]
    public void Type_names_parse_case_insensitively()
    {
        Assert.True(GgmlTypes.TryParse("q6_k", out var t));
        Assert.Equal(GgmlType.Q6_K, t);
        Assert.False(GgmlTypes.TryParse("q7_k", out _));
    }
}
