using System.Text.Json;
using EdgeLM.Gguf;
using EdgeLM.TestSupport;

namespace EdgeLM.Cli.Tests;

public sealed class InspectCommandTests
{
    /// <summary>
    /// tiny-llama from its hyperparameters (models/README.md): tied 4096x256 embedding, 2 blocks of
    /// q,o 256x256, k,v 256x128, gate,up 256x512, down 512x256 and two 256 norms, plus the output norm.
    /// </summary>
    private const long TinyLlamaParameters = 4096L * 256 + 2 * (2 * 65536 + 2 * 32768 + 3 * 131072 + 2 * 256) + 256;

    public static TheoryData<string> Models()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.EnumerateFiles(Path.Combine(TestData.Root, "models"), "*.gguf").Order(StringComparer.Ordinal))
            data.Add(Path.GetFileName(f));
        return data;
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Inspect_lists_every_tensor_and_the_parameter_count(string model)
    {
        string path = TestData.Models(model);
        var r = EdgeLmProcess.Run("inspect", path);
        Assert.True(r.ExitCode == 0, r.StdErr);
        using var file = GgufFile.Open(path);
        foreach (var t in file.Tensors)
            Assert.Contains(t.Name, r.StdOut);
        long parameters = file.Tensors.Sum(t => t.ElementCount);
        if (model.StartsWith("tiny-llama", StringComparison.Ordinal))
            Assert.Equal(TinyLlamaParameters, parameters);
        Assert.Contains($"parameters:      {parameters:N0}", r.StdOut);
        Assert.Contains("version:     3", r.StdOut);
        Assert.Contains("alignment:   32", r.StdOut);
        Assert.Contains("tokenizer.ggml.tokens", r.StdOut);
        Assert.Contains("[String x 4096]", r.StdOut);
    }

    [Fact]
    public void Inspect_shows_bits_per_weight_from_tensor_bytes()
    {
        var r = EdgeLmProcess.Run("inspect", TestData.Models("tiny-llama-F32.gguf"));
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("bits per weight: 32.00", r.StdOut);
        Assert.Contains($"tensor bytes:    {TinyLlamaParameters * 4:N0}", r.StdOut);
    }

    [Fact]
    public void Long_strings_are_cut_with_their_length_shown()
    {
        string path = TestData.Models("tiny-qwen2-Q8_0.gguf");
        using var file = GgufFile.Open(path);
        int length = file.Metadata.GetString("tokenizer.chat_template").Length;
        var r = EdgeLmProcess.Run("inspect", path);
        var line = r.StdOut.Split('\n').Single(l => l.Contains("tokenizer.chat_template"));
        Assert.Contains($"... ({length} chars)", line);
        Assert.True(line.Length < 200, line);
    }

    [Theory]
    [InlineData("tiny-llama-Q4_K_M.gguf")]
    [InlineData("tiny-qwen3-Q8_0.gguf")]
    public void Json_output_has_the_header_tensors_and_totals(string model)
    {
        string path = TestData.Models(model);
        var r = EdgeLmProcess.Run("inspect", path, "--json");
        Assert.True(r.ExitCode == 0, r.StdErr);
        using var doc = JsonDocument.Parse(r.StdOut);
        var root = doc.RootElement;
        using var file = GgufFile.Open(path);

        Assert.Equal(file.Path, root.GetProperty("file").GetString());
        Assert.Equal(3, root.GetProperty("version").GetInt32());
        Assert.Equal(32, root.GetProperty("alignment").GetInt32());
        var md = root.GetProperty("metadata");
        Assert.Equal(file.Metadata.Count, md.EnumerateObject().Count());
        Assert.Equal(file.Metadata.GetString("general.architecture"), md.GetProperty("general.architecture").GetString());
        var tokens = md.GetProperty("tokenizer.ggml.tokens");
        Assert.Equal("String", tokens.GetProperty("type").GetString());
        Assert.Equal(4096, tokens.GetProperty("count").GetInt32());
        Assert.Equal(file.Metadata.GetStringArray("tokenizer.ggml.tokens").Take(8),
            tokens.GetProperty("head").EnumerateArray().Select(e => e.GetString()));

        var tensors = root.GetProperty("tensors").EnumerateArray().ToList();
        Assert.Equal(file.Tensors.Count, tensors.Count);
        for (int i = 0; i < tensors.Count; i++)
        {
            var t = file.Tensors[i];
            Assert.Equal(t.Name, tensors[i].GetProperty("name").GetString());
            Assert.Equal(t.Type.ToString(), tensors[i].GetProperty("type").GetString());
            Assert.Equal(t.Dimensions, tensors[i].GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()));
            Assert.Equal(t.ByteSize, tensors[i].GetProperty("bytes").GetInt64());
            Assert.Equal(t.Offset, tensors[i].GetProperty("offset").GetInt64());
        }
        long parameters = file.Tensors.Sum(t => t.ElementCount);
        long bytes = file.Tensors.Sum(t => t.ByteSize);
        Assert.Equal(parameters, root.GetProperty("parameters").GetInt64());
        Assert.Equal(bytes, root.GetProperty("bytes").GetInt64());
        Assert.Equal(8.0 * bytes / parameters, root.GetProperty("bits_per_weight").GetDouble(), 3);
    }

    [Fact]
    public void A_file_that_is_not_gguf_fails_with_one_error_line()
    {
        string dir = Directory.CreateTempSubdirectory("edgelm-inspect-").FullName;
        try
        {
            string path = Path.Combine(dir, "notes.gguf");
            File.WriteAllText(path, "these are not the weights you are looking for\n");
            var r = EdgeLmProcess.Run("inspect", path);
            AssertOneLineError(r, "not a GGUF file");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void A_truncated_model_fails_with_one_error_line_naming_the_field()
    {
        string dir = Directory.CreateTempSubdirectory("edgelm-inspect-").FullName;
        try
        {
            byte[] original = File.ReadAllBytes(TestData.Models("tiny-llama-Q8_0.gguf"));
            string path = Path.Combine(dir, "cut.gguf");
            File.WriteAllBytes(path, original.AsSpan(0, 50_000).ToArray());
            var r = EdgeLmProcess.Run("inspect", path);
            AssertOneLineError(r, "metadata 'tokenizer.ggml.tokens'");
            Assert.Contains("at byte", r.StdErr);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void A_missing_file_fails_with_one_error_line()
    {
        var r = EdgeLmProcess.Run("inspect", Path.Combine(Path.GetTempPath(), $"no-such-model-{Guid.NewGuid():N}.gguf"));
        AssertOneLineError(r, "not found");
    }

    private static void AssertOneLineError(ProcessResult r, string expected)
    {
        Assert.Equal(1, r.ExitCode);
        string err = r.StdErr.TrimEnd('\r', '\n');
        Assert.DoesNotContain('\n', err);
        Assert.StartsWith("error: ", err);
        Assert.Contains(expected, err);
        Assert.DoesNotContain("   at ", r.StdErr + r.StdOut);
    }
}
