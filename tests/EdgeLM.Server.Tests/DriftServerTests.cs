using System.Globalization;
using System.Text.Json.Nodes;
using EdgeLM.TestSupport;

namespace EdgeLM.Server.Tests;

/// <summary>
/// A real `edgelm serve --drift-window 20`: a reference window of short prompts, unshifted traffic that keeps the
/// prompt-length PSI at 0, then much longer prompts that push it over the threshold on /metrics and log one warning.
/// </summary>
public sealed class DriftServerTests
{
    private const string Model = "tiny-qwen2-Q8_0";
    private const string Warning = "drift: prompt_tokens PSI";

    [Fact]
    public async Task Longer_prompts_cross_the_prompt_length_threshold_and_log_a_warning()
    {
        using var server = new ServerProcess("-m", TestData.Models(Model + ".gguf"), "--port", "0", "--parallel", "4", "-c", "1024",
            "-t", "2", "--drift-window", "20", "--drift-threshold", "0.25");
        using var http = server.Client(null);

        for (int i = 0; i < 20; i++)
            await Complete(http, Words(1 + i % 5));
        Assert.Equal(0, await Psi(http), 12);

        for (int i = 0; i < 20; i++)
            await Complete(http, Words(1 + i % 5));
        Assert.Equal(0, await Psi(http), 12);
        Assert.Contains("edgelm_drift_alert{statistic=\"prompt_tokens\"} 0\n", await http.GetStringAsync("/metrics", TestContext.Current.CancellationToken));

        for (int i = 0; i < 20; i++)
            await Complete(http, Words(200 + i));
        Assert.True(await Psi(http) > 0.25, $"PSI {await Psi(http)}");
        string metrics = await http.GetStringAsync("/metrics", TestContext.Current.CancellationToken);
        Assert.Contains("edgelm_drift_alert{statistic=\"prompt_tokens\"} 1\n", metrics);
        Assert.Contains("edgelm_drift_ks{statistic=\"prompt_tokens\"} 1\n", metrics);

        // The console logger writes on its own thread: wait (bounded) for the line, then check it came exactly once.
        for (int tries = 0; tries < 300 && !server.StdErr.Contains(Warning, StringComparison.Ordinal); tries++)
            await Task.Delay(100, TestContext.Current.CancellationToken);
        string log = server.StdErr;
        int count = log.Split('\n').Count(l => l.Contains(Warning, StringComparison.Ordinal));
        Assert.True(count == 1, $"expected one drift warning for prompt_tokens, found {count}:\n{log}");
        Assert.Contains("warn:", log.Split('\n').First(l => l.Contains(Warning, StringComparison.Ordinal)));
    }

    private static string Words(int n) => string.Join(' ', Enumerable.Range(0, n).Select(i => i % 2 == 0 ? "apple" : "river"));

    private static async Task Complete(HttpClient http, string prompt)
    {
        var body = new JsonObject { ["model"] = Model, ["prompt"] = prompt, ["max_tokens"] = 2, ["temperature"] = 0 };
        var (status, node) = await Api.PostJson(http, "/v1/completions", body.ToJsonString());
        Assert.True(status == 200, $"status {status}: {node?.ToJsonString()}");
    }

    private static async Task<double> Psi(HttpClient http)
    {
        const string prefix = "edgelm_drift_psi{statistic=\"prompt_tokens\"} ";
        string metrics = await http.GetStringAsync("/metrics", TestContext.Current.CancellationToken);
        string? line = metrics.Split('\n').FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        Assert.True(line is not null, "no prompt_tokens PSI on /metrics:\n" + metrics);
        return double.Parse(line[prefix.Length..], CultureInfo.InvariantCulture);
    }
}
