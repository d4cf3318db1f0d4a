using System.Text.Json.Nodes;
using EdgeLM.TestSupport;

namespace EdgeLM.Cli.Tests;

/// <summary>`edgelm duel` with the built-in packs and model, run as a real process.</summary>
public sealed class DuelCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgelm-duel-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string File(string name) => Path.Combine(_dir, name);

    [Fact]
    public void Without_config_the_builtin_model_is_ranked_on_the_builtin_packs()
    {
        var r = EdgeLmProcess.Run(["duel", "--tasks", "sentiment,arithmetic", "--html", File("d.html"), "--csv", File("d.csv")]);
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Contains("ranking", r.StdOut);
        Assert.Contains("edgelm-tiny", r.StdOut);
        Assert.Contains("sentiment", r.StdOut);
        Assert.Contains("id=\"ranking\"", System.IO.File.ReadAllText(File("d.html")));
        Assert.Equal(3, System.IO.File.ReadAllLines(File("d.csv")).Length);
    }

    [Fact]
    public void Two_local_models_are_ranked_and_the_trained_model_solves_sentiment()
    {
        string q8 = TestData.File("trained", "edgelm-tiny-Q8_0.gguf");
        var r = EdgeLmProcess.Run(["duel", "-m", $"{q8},{TestData.File("trained", "edgelm-tiny-F16.gguf")}", "--tasks", "sentiment", "--json", File("d.json")]);
        Assert.True(r.ExitCode == 0, r.StdErr);
        var doc = JsonNode.Parse(System.IO.File.ReadAllText(File("d.json")))!;
        var ranking = doc["ranking"]!.AsArray();
        Assert.Equal(["edgelm-tiny-F16", "edgelm-tiny-Q8_0"], ranking.Select(x => (string)x!["provider"]!).Order());
        Assert.Equal([1, 2], ranking.Select(x => (int)x!["rank"]!));
        // llama.cpp scores 200/200 on held-out sentiment; our 12 examples are in the same format.
        foreach (var entry in ranking)
            Assert.True((int)entry!["correct"]! >= 10, entry.ToJsonString());
        Assert.Equal(2, doc["results"]!.AsArray().Count);
    }

    [Fact]
    public void Config_with_an_unset_api_key_variable_fails_naming_it()
    {
        System.IO.File.WriteAllText(File("duel.yaml"), """
            tasks: [sentiment]
            providers:
              - name: remote
                base_url: http://127.0.0.1:9
                model: m
                api_key_env: EDGELM_DUEL_TEST_UNSET
            """);
        var r = EdgeLmProcess.Run(["duel", "--config", File("duel.yaml")]);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("EDGELM_DUEL_TEST_UNSET", r.StdErr);
    }

    [Fact]
    public void Duel_baseline_flags_lost_accuracy()
    {
        var first = EdgeLmProcess.Run(["duel", "--tasks", "sentiment", "--json", File("base.json")]);
        Assert.True(first.ExitCode == 0, first.StdErr);
        var doc = JsonNode.Parse(System.IO.File.ReadAllText(File("base.json")))!;
        var accuracy = doc["results"]![0]!["metrics"]!["accuracy"]!;
        // Pretend the baseline was right every time with no spread, and a much faster one too.
        accuracy["mean"] = 2.0;
        accuracy["ci95"] = 0.0;
        System.IO.File.WriteAllText(File("better.json"), doc.ToJsonString());
        var r = EdgeLmProcess.Run(["duel", "--tasks", "sentiment", "--baseline", File("better.json")]);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("regression: edgelm-tiny/sentiment accuracy", r.StdErr);
    }
}
