using EdgeLM.Gguf;
using EdgeLM.TestSupport;

namespace EdgeLM.ModelStore.Tests;

public sealed class SplitGgufTests : IDisposable
{
    private readonly TempDir _dir = new();
    private static readonly string s_model = TestData.Models("tiny-qwen3-Q8_0.gguf");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Split_model_loads_as_one_with_the_same_tensors_bytes_and_metadata()
    {
        var shards = SplitFiles.Write(s_model, _dir.Path, "tiny", 3);
        using var whole = GgufFile.Open(s_model);

        using var split = SplitGguf.Open(shards[1]);

        Assert.Equal(3, split.Shards.Count);
        Assert.Equal(whole.Tensors.Count, split.Tensors.Count);
        Assert.Equal(whole.Tensors.Sum(t => t.ByteSize), split.TensorBytes);
        foreach (var t in whole.Tensors)
        {
            var st = split.GetTensor(t.Name);
            Assert.Equal(t.Dimensions, st.Info.Dimensions);
            Assert.True(whole.TensorData(t).SequenceEqual(st.File.TensorData(st.Info)), t.Name);
        }
        Assert.Equal(whole.Metadata.GetString("general.architecture"), split.Metadata.GetString("general.architecture"));
        Assert.False(split.Metadata.Contains(SplitKeys.Number));
        Assert.Equal(whole.Metadata.Count + 2, split.Metadata.Count);
    }

    [Fact]
    public void Later_shards_really_hold_tensors_and_no_model_metadata()
    {
        var shards = SplitFiles.Write(s_model, _dir.Path, "tiny", 3);
        using var split = SplitGguf.Open(shards[0]);
        Assert.All(split.Shards, s => Assert.NotEmpty(s.Tensors));
        Assert.False(split.Shards[2].Metadata.Contains("general.architecture"));
        Assert.Contains(split.Tensors, t => t.File == split.Shards[2]);
    }

    [Fact]
    public void Memory_estimate_of_a_split_model_equals_the_unsplit_one()
    {
        var shards = SplitFiles.Write(s_model, _dir.Path, "tiny", 2);
        using var whole = GgufFile.Open(s_model);
        Assert.Equal(MemoryEstimate.For(whole, 1024), MemoryEstimate.For(shards[0], 1024));
    }

    [Fact]
    public void A_missing_shard_is_named()
    {
        var shards = SplitFiles.Write(s_model, _dir.Path, "tiny", 3);
        File.Delete(shards[1]);
        var e = Assert.Throws<FileNotFoundException>(() => SplitGguf.Open(shards[0]));
        Assert.Contains("shard 2 of 3", e.Message);
    }

    [Fact]
    public void Shards_that_disagree_on_the_count_are_refused()
    {
        var shards = SplitFiles.Write(s_model, _dir.Path, "tiny", 2);
        var e = Assert.Throws<SplitGgufException>(() => SplitGguf.Open(new[] { shards[0] }));
        Assert.Contains("split.count is 2", e.Message);
    }

    [Fact]
    public void Shards_in_the_wrong_order_are_refused()
    {
        var shards = SplitFiles.Write(s_model, _dir.Path, "tiny", 2);
        var e = Assert.Throws<SplitGgufException>(() => SplitGguf.Open(new[] { shards[1], shards[0] }));
        Assert.Contains("split.no", e.Message);
    }

    [Fact]
    public void An_unsplit_file_opens_as_a_single_shard()
    {
        using var model = SplitGguf.Open(s_model);
        using var whole = GgufFile.Open(s_model);
        Assert.Single(model.Shards);
        Assert.Equal(whole.Metadata.Count, model.Metadata.Count);
        Assert.Equal(whole.Tensors.Count, model.Tensors.Count);
    }

    [Theory]
    [InlineData("m-Q4_K_M-00002-of-00003.gguf", true, "m-Q4_K_M", 2, 3)]
    [InlineData("m-00001-of-00001.gguf", true, "m", 1, 1)]
    [InlineData("m-00004-of-00003.gguf", false, "", 0, 0)]
    [InlineData("m-1-of-3.gguf", false, "", 0, 0)]
    [InlineData("m-Q8_0.gguf", false, "", 0, 0)]
    public void Shard_names_are_parsed_like_llama_cpp_writes_them(string name, bool ok, string prefix, int no, int count)
    {
        Assert.Equal(ok, SplitShardName.TryParse(name, out string p, out int n, out int c));
        if (ok)
            Assert.Equal((prefix, no, count), (p, n, c));
    }
}
