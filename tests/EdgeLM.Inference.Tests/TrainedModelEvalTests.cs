using System.Text.Json;
using EdgeLM.Inference;
using EdgeLM.Inference.Sampling;
using EdgeLM.TestSupport;

namespace EdgeLM.Inference.Tests;

/// <summary>
/// The trained model's held-out tasks with the protocol of trained/README.md (BOS + prompt, greedy, at most 40 new
/// tokens, correct iff generation stops at EOS with exactly the expected text). EdgeLM must score what llama.cpp
/// scored (README table, default settings: F16 KV cache) within ±2 examples per task.
/// </summary>
public sealed class TrainedModelEvalTests(ITestOutputHelper output)
{
    // llama.cpp 3f545becc, default settings (trained/README.md "Results").
    public static TheoryData<string, string, int> Cases() => new()
    {
        { "Q4_K_M", "arithmetic", 7 }, { "Q4_K_M", "json", 83 }, { "Q4_K_M", "sentiment", 200 },
        { "Q8_0", "arithmetic", 6 }, { "Q8_0", "json", 84 }, { "Q8_0", "sentiment", 200 },
        { "F16", "arithmetic", 7 }, { "F16", "json", 84 }, { "F16", "sentiment", 200 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Greedy_accuracy_matches_llama_cpp(string type, string task, int llamaCorrect)
    {
        using var model = Model.Load(TestData.File("trained", $"edgelm-tiny-{type}.gguf"));
        using var session = new InferenceSession(model, new SessionOptions { ContextLength = 256, Threads = 2 });
        var generator = new TextGenerator(session);
        var options = new GenerationOptions { MaxTokens = 40, Sampler = SamplerOptions.Greedy };
        var reference = File.ReadLines(TestData.File("trained", "reference", $"greedy-{type}.jsonl"))
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Where(e => e.GetProperty("task").GetString() == task)
            .ToDictionary(e => e.GetProperty("index").GetInt32(), e => e.GetProperty("output").GetString());
        int correct = 0, sameAsLlama = 0, index = 0;
        foreach (var line in File.ReadLines(TestData.File("trained", "eval", $"{task}.jsonl")))
        {
            var example = JsonDocument.Parse(line).RootElement;
            string prompt = example.GetProperty("prompt").GetString()!, expected = example.GetProperty("expected").GetString()!;
            var result = generator.Generate(model.Tokenizer.Encode(prompt), options);
            bool stoppedAtEos = result.StopReason == StopReason.EndOfGeneration;
            if (stoppedAtEos && result.Text == expected)
                correct++;
            if (reference.TryGetValue(index, out var theirs) && theirs == result.Text)
                sameAsLlama++;
            index++;
        }
        output.WriteLine($"{type} {task}: {correct}/{index} correct (llama.cpp {llamaCorrect}); identical output to llama.cpp on {sameAsLlama}/{index}");
        Assert.InRange(correct, llamaCorrect - 2, llamaCorrect + 2);
    }
}
