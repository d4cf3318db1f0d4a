using System.Text.Json;
using EdgeLM.TestSupport;

namespace EdgeLM.Cli.Tests;

public sealed class RunCommandTests
{
    [Fact]
    public void Run_without_a_model_uses_the_built_in_model_and_answers_correctly()
    {
        // A sentiment prompt of the trained model's format (trained/README.md); llama.cpp answers " negative".
        var r = EdgeLmProcess.Run(["run", "-p", "Review: the salad was not friendly. Sentiment:", "--temp", "0", "--json"],
            workingDirectory: Path.GetTempPath());
        Assert.True(r.ExitCode == 0, r.StdErr);
        var json = JsonDocument.Parse(r.StdOut).RootElement;
        Assert.Equal(" negative", json.GetProperty("text").GetString());
        Assert.Equal("EndOfGeneration", json.GetProperty("stop_reason").GetString());
        Assert.Equal(1, json.GetProperty("prompt_tokens")[0].GetInt32());
        Assert.True(json.GetProperty("timings").GetProperty("tokens_per_second").GetDouble() >= 0);
    }

    [Fact]
    public void Run_in_place_with_seed_is_reproducible()
    {
        string model = TestData.Models("tiny-qwen3-Q4_K_M.gguf");
        string[] args = ["run", "-m", model, "-p", "Once upon a time", "-n", "12", "--temp", "1.0", "--seed", "7", "--json"];
        var a = EdgeLmProcess.Run(args);
        var b = EdgeLmProcess.Run(args);
        Assert.True(a.ExitCode == 0, a.StdErr);
        Assert.Equal(JsonDocument.Parse(a.StdOut).RootElement.GetProperty("tokens").ToString(),
            JsonDocument.Parse(b.StdOut).RootElement.GetProperty("tokens").ToString());
    }

    [Fact]
    public void A_context_that_cannot_fit_in_memory_is_refused_with_a_clear_message()
    {
        var r = EdgeLmProcess.Run("run", "-m", TestData.Models("tiny-llama-Q8_0.gguf"), "-c", "50000000", "-p", "hi");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("KV cache", r.StdErr);
        Assert.Contains("available", r.StdErr);
        Assert.DoesNotContain("   at ", r.StdErr);
    }

    [Fact]
    public void A_prompt_longer_than_the_context_is_a_clear_error()
    {
        var r = EdgeLmProcess.Run("run", "-m", TestData.Models("tiny-llama-Q8_0.gguf"), "-c", "8", "-p", "one two three four five six seven eight nine ten");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("context window", r.StdErr);
    }

    [Fact]
    public void Score_with_tokens_prints_the_golden_layout()
    {
        var g = GoldenFile.Load(TestData.File("golden", "tiny-llama-Q8_0.en_short.json"));
        var r = EdgeLmProcess.Run("score", "-m", TestData.Models(g.Model), "--tokens", string.Join(",", g.Tokens), "--top", "10", "--json");
        Assert.True(r.ExitCode == 0, r.StdErr);
        var json = JsonDocument.Parse(r.StdOut).RootElement;
        Assert.Equal(g.Tokens, json.GetProperty("tokens").EnumerateArray().Select(e => e.GetInt32()).ToArray());
        var positions = json.GetProperty("positions");
        Assert.Equal(g.Tokens.Length, positions.GetArrayLength());
        for (int i = 0; i < g.Tokens.Length; i++)
        {
            var top = positions[i].GetProperty("top");
            Assert.Equal(10, top.GetArrayLength());
            // Same best token wherever llama.cpp's margin is clear, and log-probs within the engine issue's bound.
            double margin = g.Top[i][0].LogProb - g.Top[i][1].LogProb;
            if (margin > 0.02)
                Assert.Equal(g.Top[i][0].Id, top[0][0].GetInt32());
            Assert.True(Math.Abs(top[0][1].GetDouble() - g.Top[i].First(p => p.Id == top[0][0].GetInt32()).LogProb) <= 0.02);
        }
    }
}

public sealed class SplitModelTests
{
    [Fact]
    public void A_split_gguf_runs_as_one_model()
    {
        string dir = Directory.CreateTempSubdirectory("edgelm-split").FullName;
        try
        {
            string model = TestData.Models("tiny-qwen2-Q8_0.gguf");
            var shards = SplitFiles.Write(model, dir, "tiny-qwen2", 3);
            string[] tail = ["-p", "Once upon a time", "-n", "8", "--temp", "0", "--json"];
            var whole = EdgeLmProcess.Run(["run", "-m", model, .. tail]);
            var split = EdgeLmProcess.Run(["run", "-m", shards[1], .. tail]);
            Assert.True(split.ExitCode == 0, split.StdErr);
            Assert.Equal(System.Text.Json.JsonDocument.Parse(whole.StdOut).RootElement.GetProperty("tokens").ToString(),
                System.Text.Json.JsonDocument.Parse(split.StdOut).RootElement.GetProperty("tokens").ToString());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
