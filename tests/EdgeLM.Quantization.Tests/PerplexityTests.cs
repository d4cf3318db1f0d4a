using System.Text.Json;
using EdgeLM.Inference;
using EdgeLM.Quantization.Evaluation;
using EdgeLM.TestSupport;

namespace EdgeLM.Quantization.Tests;

public sealed class PerplexityTests
{
    private static readonly Lazy<JsonDocument> s_reference =
        new(() => JsonDocument.Parse(File.ReadAllText(TestData.File("text", "perplexity-reference.json"))));

    private static JsonElement Reference => s_reference.Value.RootElement;

    private static int[] Tokenize(Model model) =>
        model.Tokenizer.Encode(File.ReadAllText(TestData.File("text", "gpl-3.0.txt")), addSpecial: true, parseSpecial: false);

    [Fact]
    public void Text_tokenizes_to_llama_cpps_ids()
    {
        using var model = Model.Load(TestData.Models("tiny-llama-Q8_0.gguf"));
        int[] tokens = Tokenize(model);
        Assert.Equal(Reference.GetProperty("tokenization").GetProperty("n_tokens").GetInt32(), tokens.Length);
        int[] expected = Reference.GetProperty("tokens").EnumerateArray().Select(t => t.GetInt32()).ToArray();
        Assert.Equal(expected, tokens.Take(expected.Length));
    }

    // text/README.md: llama.cpp's kv_f32_fa_off runs; an absolute tolerance of 0.002 nat is comfortable and
    // 0.01 would not detect a wrong file type.
    [Theory]
    [InlineData("F16")]
    [InlineData("Q4_0")]
    public void Mean_nll_matches_llama_perplexity(string type)
    {
        using var model = Model.Load(TestData.Models($"tiny-llama-{type}.gguf"));
        var result = PerplexityEvaluator.Evaluate(model, Tokenize(model), new PerplexityOptions { ContextLength = 512, Threads = 2 });
        var expected = Reference.GetProperty("perplexity").GetProperty(type).GetProperty("kv_f32_fa_off");
        Assert.Equal(22, result.ChunkCount);
        Assert.Equal(5610, result.ScoredCount);
        Assert.InRange(result.MeanNll - expected.GetProperty("mean_nll").GetDouble(), -0.002, 0.002);
        Assert.InRange(result.MeanNllUncertainty / expected.GetProperty("mean_nll_uncertainty").GetDouble(), 0.99, 1.01);
        Assert.Equal(Math.Exp(result.MeanNll), result.Perplexity, 6);
    }

    // Brief: the mean KL within 5% of llama.cpp's, top-1 agreement within 1 percentage point.
    [Theory]
    [InlineData("Q4_0")]
    [InlineData("Q2_K")]
    public void Kl_divergence_against_Q6_K_matches_llama_perplexity(string type)
    {
        using var model = Model.Load(TestData.Models($"tiny-llama-{type}.gguf"));
        using var klBase = Model.Load(TestData.Models("tiny-llama-Q6_K.gguf"));
        var result = PerplexityEvaluator.Evaluate(model, Tokenize(model), new PerplexityOptions { Threads = 2 }, klBase);
        var expected = Reference.GetProperty("kl_divergence").GetProperty("results").GetProperty(type).GetProperty("kv_f32_fa_off");
        var kl = result.KlDivergence!;
        double expectedKl = expected.GetProperty("mean_kld").GetDouble();
        Assert.True(Math.Abs(kl.Mean / expectedKl - 1) <= 0.05, $"mean KL {kl.Mean:G6}, llama.cpp {expectedKl:G6}");
        double expectedTop = expected.GetProperty("same_top_p_percent").GetDouble();
        Assert.True(Math.Abs(kl.SameTopFraction * 100 - expectedTop) <= 1.0, $"same top {kl.SameTopFraction * 100:F3} %, llama.cpp {expectedTop} %");
    }

    [Fact]
    public void Text_shorter_than_one_chunk_is_rejected()
    {
        using var model = Model.Load(TestData.Models("tiny-llama-Q8_0.gguf"));
        var e = Assert.Throws<ArgumentException>(() => PerplexityEvaluator.Evaluate(model, new int[100], new PerplexityOptions { ContextLength = 512 }));
        Assert.Contains("shorter than one chunk", e.Message);
    }

    [Fact]
    public void Kl_of_a_model_against_itself_is_zero_up_to_16_bit_rounding_and_top_agrees_everywhere()
    {
        using var model = Model.Load(TestData.Models("tiny-llama-Q8_0.gguf"));
        using var same = Model.Load(TestData.Models("tiny-llama-Q8_0.gguf"));
        var result = PerplexityEvaluator.Evaluate(model, Tokenize(model), new PerplexityOptions { Threads = 2, MaxChunks = 1 }, same);
        Assert.Equal(255, result.ScoredCount);
        Assert.InRange(result.KlDivergence!.Mean, -1e-5, 1e-5);
        Assert.Equal(1.0, result.KlDivergence.SameTopFraction);
    }
}
