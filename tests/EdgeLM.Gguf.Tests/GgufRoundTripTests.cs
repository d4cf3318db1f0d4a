using System.Security.Cryptography;
using EdgeLM.Gguf;
using EdgeLM.TestSupport;

namespace EdgeLM.Gguf.Tests;

public sealed class GgufRoundTripTests
{
    public static TheoryData<string> AllGgufFiles()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.EnumerateFiles(TestData.Root, "*.gguf", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            data.Add(Path.GetRelativePath(TestData.Root, f));
        return data;
    }

    [Theory]
    [MemberData(nameof(AllGgufFiles))]
    public void Reading_and_rewriting_gives_the_same_bytes(string relativePath)
    {
        string path = Path.Combine(TestData.Root, relativePath);
        using var file = GgufFile.Open(path);
        var writer = new GgufWriter(file.Metadata, file.Version);
        foreach (var t in file.Tensors)
            writer.AddTensor(file, t);
        using var ms = new MemoryStream();
        writer.WriteTo(ms);

        byte[] original = File.ReadAllBytes(path);
        Assert.Equal(original.Length, ms.Length);
        Assert.Equal(SHA256.HashData(original), SHA256.HashData(ms.ToArray()));
    }

    [Fact]
    public void Model_metadata_and_tensors_are_read()
    {
        using var file = GgufFile.Open(TestData.Models("tiny-llama-Q4_K_M.gguf"));
        Assert.Equal(3u, file.Version);
        Assert.Equal("llama", file.Metadata.GetString("general.architecture"));
        Assert.Equal(256, file.Metadata.GetInt32("llama.embedding_length"));
        Assert.Equal(4096, file.Metadata.GetStringArray("tokenizer.ggml.tokens").Length);
        var embd = file.GetTensor("token_embd.weight");
        Assert.Equal(GgmlType.Q6_K, embd.Type);
        Assert.Equal(new long[] { 256, 4096 }, embd.Dimensions);
        Assert.Equal(20, file.Tensors.Count);
        Assert.Equal(embd.ByteSize, file.TensorData(embd).Length);
    }

    [Fact]
    public void Typed_accessors_name_the_key()
    {
        using var file = GgufFile.Open(TestData.Models("tiny-llama-Q8_0.gguf"));
        var missing = Assert.Throws<GgufMetadataException>(() => file.Metadata.GetString("no.such.key"));
        Assert.Contains("no.such.key", missing.Message);
        var wrong = Assert.Throws<GgufMetadataException>(() => file.Metadata.GetString("llama.block_count"));
        Assert.Contains("llama.block_count", wrong.Message);
    }
}
