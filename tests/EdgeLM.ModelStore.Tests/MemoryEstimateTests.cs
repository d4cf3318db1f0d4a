using EdgeLM.Gguf;
using EdgeLM.TestSupport;

namespace EdgeLM.ModelStore.Tests;

public sealed class MemoryEstimateTests
{
    private static GgufMetadata Meta(int layers, int embedding, int heads, int? kvHeads = null, int? keyLength = null)
    {
        var m = new GgufMetadata();
        m.Set("general.architecture", GgufValue.FromString("llama"));
        m.Set("llama.block_count", GgufValue.FromUInt32((uint)layers));
        m.Set("llama.embedding_length", GgufValue.FromUInt32((uint)embedding));
        m.Set("llama.attention.head_count", GgufValue.FromUInt32((uint)heads));
        if (kvHeads is int kv)
            m.Set("llama.attention.head_count_kv", GgufValue.FromUInt32((uint)kv));
        if (keyLength is int kl)
            m.Set("llama.attention.key_length", GgufValue.FromUInt32((uint)kl));
        return m;
    }

    [Fact]
    public void Kv_cache_is_two_times_layers_context_kv_heads_head_dim_bytes_and_slots()
    {
        // Llama-3-8B's shape: 32 layers, 4096 wide, 32 heads, 8 KV heads → 128 KiB per token in f16.
        var e = MemoryEstimate.For(Meta(32, 4096, 32, kvHeads: 8), weightBytes: 1000, contextLength: 8192, slots: 2);
        Assert.Equal(2L * 32 * 8192 * 8 * 128 * 2 * 2, e.KvCacheBytes);
        Assert.Equal(1000 + e.KvCacheBytes, e.Total);
    }

    [Fact]
    public void Kv_heads_default_to_heads_and_key_length_overrides_width_over_heads()
    {
        Assert.Equal(2L * 2 * 10 * 4 * 16 * 2, MemoryEstimate.For(Meta(2, 64, 4), 0, 10).KvCacheBytes);
        Assert.Equal(2L * 2 * 10 * 4 * 128 * 4, MemoryEstimate.For(Meta(2, 64, 4, keyLength: 128), 0, 10, kvBytesPerElement: 4).KvCacheBytes);
    }

    [Fact]
    public void Weights_are_the_tensor_bytes_of_the_file()
    {
        using var f = GgufFile.Open(TestData.Models("tiny-llama-Q4_K_M.gguf"));
        var e = MemoryEstimate.For(f, 512);
        Assert.Equal(f.Tensors.Sum(t => t.ByteSize), e.WeightBytes);
        Assert.True(e.WeightBytes > 1_000_000 && e.WeightBytes <= f.Length);
    }

    [Fact]
    public void EnsureFits_explains_what_does_not_fit()
    {
        var e = new MemoryEstimate(4_617_089_843, 858_993_459, 8192, 1);
        var ex = Assert.Throws<ModelDoesNotFitException>(() => e.EnsureFits(3_435_973_837));
        Assert.Equal("needs 5.1 GiB (4.3 GiB weights + 0.8 GiB KV cache for 8192 tokens) but only 3.2 GiB is available; try a smaller -c or a smaller quantization", ex.Message);
        e.EnsureFits(e.Total);
    }

    [Fact]
    public void Available_memory_is_positive()
    {
        Assert.True(MemoryEstimate.Available() > 0);
    }

    [Fact]
    public void Missing_block_count_is_an_error_naming_the_key()
    {
        var m = Meta(2, 64, 4);
        m.Remove("llama.block_count");
        var e = Assert.Throws<GgufMetadataException>(() => MemoryEstimate.For(m, 0, 10));
        Assert.Contains("llama.block_count", e.Message);
    }
}
