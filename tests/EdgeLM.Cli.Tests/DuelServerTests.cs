using System.Text.Json.Nodes;
using EdgeLM.TestSupport;

namespace EdgeLM.Cli.Tests;

public sealed class DuelServerTests
{
    /// <summary>
    /// A config that duels the built-in model in-process against the same model behind a running `edgelm serve`
    /// (OpenAI completions API over HTTP). Same weights, same greedy decoding: both must answer alike.
    /// </summary>
    [Fact]
    public void Duel_ranks_a_local_model_against_a_running_server()
    {
        string dir = Directory.CreateTempSubdirectory("edgelm-duel-server").FullName;
        try
        {
            string model = Path.Combine(AppContext.BaseDirectory, "models", "edgelm-tiny-Q4_K_M.gguf");
            using var server = new ServerProcess("-m", "tiny=" + model, "--port", "0", "--parallel", "2", "-c", "512", "-t", "1");
            string config = Path.Combine(dir, "duel.yaml");
            File.WriteAllText(config, $"""
                tasks: [sentiment]
                providers:
                  - name: local
                    model: {model}
                    threads: 1
                  - name: served
                    base_url: {server.Url}
                    model: tiny
                    api: completions
                """);
            string json = Path.Combine(dir, "duel.json");
            var r = EdgeLmProcess.Run(["duel", "--config", config, "--json", json]);
            Assert.True(r.ExitCode == 0, r.StdErr + "\n" + server.StdErr);
            var ranking = JsonNode.Parse(File.ReadAllText(json))!["ranking"]!.AsArray();
            Assert.Equal(["local", "served"], ranking.Select(x => (string)x!["provider"]!).Order());
            var correct = ranking.Select(x => (int)x!["correct"]!).ToArray();
            Assert.Equal(correct[0], correct[1]);
            Assert.True(correct[0] >= 10, $"sentiment accuracy {correct[0]}/12");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
