using EdgeLM.Inference;
using EdgeLM.TestSupport;

namespace EdgeLM.Inference.Tests;

/// <summary>The fast path (llama.cpp's activation rounding, SIMD kernels, threads) against llama.cpp's own log-probs.</summary>
public sealed class QuantizedForwardTests(ITestOutputHelper output)
{
    public static TheoryData<string> Files() => new(GoldenFile.AllTinyModelFiles());

    [Theory]
    [MemberData(nameof(Files))]
    public void Batch_scoring_agrees_with_llama_cpp(string goldenName)
    {
        var g = GoldenFile.Load(TestData.File("golden", goldenName));
        using var model = Model.Load(TestData.Models(g.Model));
        using var session = new InferenceSession(model, new SessionOptions { KvCacheType = KvCacheType.F32, Threads = 2, ContextLength = 1024 });
        int vocab = model.Hyperparameters.VocabSize;
        var logits = new float[g.Tokens.Length * vocab];
        session.EvaluateAll(g.Tokens, logits);
        output.WriteLine(GoldenAgreement.Check(g, logits, vocab));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Incremental_decoding_agrees_with_llama_cpp(string goldenName)
    {
        var g = GoldenFile.Load(TestData.File("golden", goldenName));
        using var model = Model.Load(TestData.Models(g.Model));
        using var session = new InferenceSession(model, new SessionOptions { KvCacheType = KvCacheType.F32, Threads = 2, ContextLength = 1024 });
        int vocab = model.Hyperparameters.VocabSize;
        var logits = new float[g.Tokens.Length * vocab];
        for (int i = 0; i < g.Tokens.Length; i++)
        {
            session.Decode(g.Tokens[i]);
            session.LastLogits.CopyTo(logits.AsSpan(i * vocab, vocab));
        }
        output.WriteLine(GoldenAgreement.Check(g, logits, vocab));
    }
}

/// <summary>Greedy generation reproduces llama.cpp's continuation up to its first step with a margin below B.</summary>
public sealed class GreedyContinuationTests
{
    public static TheoryData<string> Files() => new(GoldenFile.AllTinyModelFiles());

    [Theory]
    [MemberData(nameof(Files))]
    public void Greedy_generation_reproduces_reference_continuation(string goldenName)
    {
        var g = GoldenFile.Load(TestData.File("golden", goldenName));
        using var model = Model.Load(TestData.Models(g.Model));
        using var session = new InferenceSession(model, new SessionOptions { Threads = 2, ContextLength = 1024 });
        double bound = GoldenAgreement.Bound(g);
        session.Prefill(g.Tokens.AsSpan(0, g.NPrompt));
        int compared = 0;
        for (int s = 0; s < g.GreedyTokens.Length; s++)
        {
            if (g.GreedyMargins[s] < bound)
                break;
            int next = Sampling.Sampler.ArgMax(session.LastLogits);
            Assert.True(next == g.GreedyTokens[s], $"{goldenName}: step {s} gave {next}, llama.cpp {g.GreedyTokens[s]}");
            compared++;
            session.Decode(next);
        }
        Assert.True(compared > 0, "no greedy step had a margin above the bound");
    }
}
