using EdgeLM.Gguf;
using EdgeLM.TestSupport;

namespace EdgeLM.Cli.Tests;

public sealed class QuantizeCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgelm-cli-quant-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Quantize_writes_a_loadable_file_with_the_recipe_file_type_and_prints_a_per_tensor_summary()
    {
        string output = Path.Combine(_dir, "q4km.gguf");
        var r = EdgeLmProcess.Run("quantize", TestData.Models("tiny-llama-F16.gguf"), output, "Q4_K_M", "-t", "2");
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Contains("blk.1.attn_v.weight", r.StdOut);
        Assert.Contains("F16   -> Q6_K", r.StdOut);
        Assert.Contains("bpw", r.StdOut);
        using var file = GgufFile.Open(output);
        Assert.Equal(15, file.Metadata.GetInt64("general.file_type"));
        Assert.Equal(GgmlType.Q6_K, file.GetTensor("token_embd.weight").Type);
        Assert.Equal(GgmlType.Q4_K, file.GetTensor("blk.0.attn_v.weight").Type);
    }

    [Fact]
    public void Pure_gives_every_matrix_the_base_type()
    {
        string output = Path.Combine(_dir, "pure.gguf");
        var r = EdgeLmProcess.Run("quantize", TestData.Models("tiny-llama-F16.gguf"), output, "Q4_0", "--pure");
        Assert.True(r.ExitCode == 0, r.StdErr);
        using var file = GgufFile.Open(output);
        Assert.All(file.Tensors.Where(t => t.Dimensions.Length == 2), t => Assert.Equal(GgmlType.Q4_0, t.Type));
    }

    [Fact]
    public void Unknown_type_is_one_line_error_and_no_output()
    {
        string output = Path.Combine(_dir, "x.gguf");
        var r = EdgeLmProcess.Run("quantize", TestData.Models("tiny-llama-F16.gguf"), output, "Q7_K");
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith("error: unknown quantization type 'Q7_K'", r.StdErr);
        Assert.Empty(Directory.GetFiles(_dir));
    }

    [Fact]
    public void Damaged_imatrix_is_rejected_and_no_output_is_left()
    {
        string imatrix = Path.Combine(_dir, "bad.imatrix.gguf");
        byte[] bytes = File.ReadAllBytes(TestData.Models("tiny-llama-F16.gguf"))[..4000];
        File.WriteAllBytes(imatrix, bytes);
        string output = Path.Combine(_dir, "x.gguf");
        var r = EdgeLmProcess.Run("quantize", TestData.Models("tiny-llama-F16.gguf"), output, "Q4_0", "--imatrix", imatrix);
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith("error: ", r.StdErr);
        Assert.Single(r.StdErr.Trim().Split('\n'));
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Imatrix_that_is_not_an_imatrix_file_is_rejected()
    {
        string output = Path.Combine(_dir, "x.gguf");
        var r = EdgeLmProcess.Run("quantize", TestData.Models("tiny-llama-F16.gguf"), output, "Q4_0", "--imatrix", TestData.Models("tiny-llama-Q8_0.gguf"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("not an imatrix file", r.StdErr);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Model_with_nothing_to_quantize_is_rejected_and_no_output_is_left()
    {
        string input = Path.Combine(_dir, "vocab-only.gguf");
        var md = new GgufMetadata();
        md.Set("general.architecture", GgufValue.FromString("llama"));
        md.Set("llama.block_count", GgufValue.FromUInt32(0));
        new GgufWriter(md).WriteFile(input);
        string output = Path.Combine(_dir, "x.gguf");
        var r = EdgeLmProcess.Run("quantize", input, output, "Q4_K_M");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("nothing to quantize", r.StdErr);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Pruning_half_the_weights_needs_force()
    {
        string output = Path.Combine(_dir, "x.gguf");
        var r = EdgeLmProcess.Run("quantize", TestData.Models("tiny-llama-F16.gguf"), output, "Q8_0", "--prune", "0.5");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("FlexQuant", r.StdErr);
        Assert.False(File.Exists(output));
        r = EdgeLmProcess.Run("quantize", TestData.Models("tiny-llama-F16.gguf"), output, "Q8_0", "--prune", "0.5", "--force");
        Assert.True(r.ExitCode == 0, r.StdErr);
    }
}
