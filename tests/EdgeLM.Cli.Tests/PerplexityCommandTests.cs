using System.Text.Json;
using EdgeLM.TestSupport;

namespace EdgeLM.Cli.Tests;

public sealed class PerplexityCommandTests
{
    [Fact]
    public void Json_output_reports_llama_cpp_chunking_and_mean_nll()
    {
        // Two chunks keep the test short; every chunk scores its second half: 2 × 255 tokens.
        var r = EdgeLmProcess.Run("perplexity", "-m", TestData.Models("tiny-llama-Q8_0.gguf"), "-f", TestData.File("text", "gpl-3.0.txt"),
            "--chunks", "2", "--json", "-t", "2");
        Assert.True(r.ExitCode == 0, r.StdErr);
        using var doc = JsonDocument.Parse(r.StdOut);
        var root = doc.RootElement;
        Assert.Equal(2, root.GetProperty("n_chunks").GetInt32());
        Assert.Equal(510, root.GetProperty("n_scored").GetInt32());
        double nll = root.GetProperty("mean_nll").GetDouble();
        Assert.Equal(Math.Exp(nll), root.GetProperty("ppl").GetDouble(), 1e-6 * Math.Exp(nll));
        Assert.InRange(nll, 15.5, 16.5);
        Assert.False(root.TryGetProperty("kld_mean", out _));
    }

    [Fact]
    public void Kl_base_adds_divergence_fields()
    {
        var r = EdgeLmProcess.Run("perplexity", "-m", TestData.Models("tiny-llama-Q4_0.gguf"), "-f", TestData.File("text", "gpl-3.0.txt"),
            "--kl-base", TestData.Models("tiny-llama-Q6_K.gguf"), "--chunks", "1", "--json", "-t", "2");
        Assert.True(r.ExitCode == 0, r.StdErr);
        using var doc = JsonDocument.Parse(r.StdOut);
        var root = doc.RootElement;
        Assert.InRange(root.GetProperty("kld_mean").GetDouble(), 1e-6, 1e-2);
        Assert.InRange(root.GetProperty("same_top_p_percent").GetDouble(), 90, 100);
        Assert.True(root.TryGetProperty("delta_p_p99_percent", out _));
        Assert.True(root.TryGetProperty("delta_p_mean_percent", out _));
    }

    [Fact]
    public void Text_shorter_than_one_chunk_is_a_one_line_error()
    {
        string text = Path.Combine(Path.GetTempPath(), $"edgelm-short-{Guid.NewGuid():N}.txt");
        File.WriteAllText(text, "A short text.");
        try
        {
            var r = EdgeLmProcess.Run("perplexity", "-m", TestData.Models("tiny-llama-Q8_0.gguf"), "-f", text);
            Assert.Equal(1, r.ExitCode);
            Assert.StartsWith("error: the text is", r.StdErr);
            Assert.Contains("shorter than one chunk of 512", r.StdErr);
        }
        finally
        {
            File.Delete(text);
        }
    }
}
