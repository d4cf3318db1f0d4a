using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeLM.TestSupport;

namespace EdgeLM.Cli.Tests;

/// <summary>`edgelm bench` on the built-in model with tiny lengths, run as a real process.</summary>
public sealed class BenchCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgelm-bench-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string File(string name) => Path.Combine(_dir, name);

    [Fact]
    public void Sweep_writes_a_row_per_model_thread_and_test_with_llama_bench_fields()
    {
        var r = EdgeLmProcess.Run(["bench", "-p", "8", "-n", "4,6", "-t", "1,2", "-r", "2", "--json"]);
        Assert.True(r.ExitCode == 0, r.StdErr);
        using var doc = JsonDocument.Parse(r.StdOut);
        var rows = doc.RootElement.EnumerateArray().ToArray();
        Assert.Equal(["1 pp8", "1 tg4", "1 tg6", "2 pp8", "2 tg4", "2 tg6"], rows.Select(x => $"{x.GetProperty("n_threads").GetInt32()} {x.GetProperty("test").GetString()}"));
        foreach (var row in rows)
        {
            Assert.True(row.GetProperty("avg_ts").GetDouble() > 0);
            Assert.True(row.GetProperty("stddev_ts").GetDouble() >= 0);
            Assert.Equal(2, row.GetProperty("samples_ts").GetArrayLength());
            var metrics = row.GetProperty("metrics");
            Assert.True(metrics.GetProperty("peak_rss_mib").GetProperty("mean").GetDouble() > 1);
            Assert.True(metrics.GetProperty("cpu_ms").GetProperty("mean").GetDouble() >= 0);
        }
        Assert.True(rows[0].GetProperty("metrics").GetProperty("ttft_ms").GetProperty("mean").GetDouble() > 0);
    }

    [Fact]
    public void Energy_is_na_with_the_reason_without_rapl_and_measured_with_it()
    {
        var none = EdgeLmProcess.Run(["bench", "-p", "0", "-n", "4", "-r", "1", "--rapl-root", File("absent")]);
        Assert.True(none.ExitCode == 0, none.StdErr);
        Assert.Contains("n/a", none.StdOut);
        Assert.Contains("energy per token: n/a (no RAPL:", none.StdOut);

        string zone = Path.Combine(_dir, "powercap", "intel-rapl:0");
        Directory.CreateDirectory(zone);
        System.IO.File.WriteAllText(Path.Combine(zone, "energy_uj"), "1000\n");
        System.IO.File.WriteAllText(Path.Combine(zone, "max_energy_range_uj"), "262143328850\n");
        var with = EdgeLmProcess.Run(["bench", "-p", "0", "-n", "4", "-r", "1", "--rapl-root", Path.Combine(_dir, "powercap"), "--json"]);
        Assert.True(with.ExitCode == 0, with.StdErr);
        var energy = JsonNode.Parse(with.StdOut)![0]!["metrics"]!["energy_j_per_token"]!;
        Assert.Equal(0.0, (double)energy["mean"]!);
        Assert.Null(energy["unavailable"]);
    }

    [Fact]
    public void Reports_are_written_to_files()
    {
        var r = EdgeLmProcess.Run(["bench", "-p", "8", "-n", "4", "-r", "2", "--json", File("b.json"), "--csv", File("b.csv"), "--html", File("b.html")]);
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Contains("edgelm bench", r.StdOut);
        Assert.Equal(2, JsonNode.Parse(System.IO.File.ReadAllText(File("b.json")))!.AsArray().Count);
        Assert.Equal(3, System.IO.File.ReadAllLines(File("b.csv")).Length);
        string html = System.IO.File.ReadAllText(File("b.html"));
        Assert.Contains("<svg", html);
        Assert.DoesNotContain("<script", html);
    }

    [Fact]
    public void Baseline_flags_an_injected_slowdown_and_passes_a_slower_baseline()
    {
        var first = EdgeLmProcess.Run(["bench", "-p", "8", "-n", "0", "-r", "2", "--json", File("base.json")]);
        Assert.True(first.ExitCode == 0, first.StdErr);
        var baseline = JsonNode.Parse(System.IO.File.ReadAllText(File("base.json")))!;
        var ts = baseline[0]!["metrics"]!["ts"]!;

        // The baseline claims a 1000× faster run: today's run is a regression.
        ts["mean"] = (double)ts["mean"]! * 1000;
        System.IO.File.WriteAllText(File("fast.json"), baseline.ToJsonString());
        var slower = EdgeLmProcess.Run(["bench", "-p", "8", "-n", "0", "-r", "2", "--baseline", File("fast.json")]);
        Assert.Equal(1, slower.ExitCode);
        Assert.Contains("regression: edgelm-tiny-Q4_K_M.gguf/t", slower.StdErr);
        Assert.Contains("pp8 ts", slower.StdErr);

        // The baseline claims a run 1000× worse in every metric: nothing got worse.
        ts["mean"] = (double)ts["mean"]! / 1e6;
        foreach (var (_, metric) in baseline[0]!["metrics"]!.AsObject())
            if (metric!["mean"] is JsonNode mean && (string?)metric["better"] == "lower")
                metric["mean"] = (double)mean * 1000 + 1000;
        System.IO.File.WriteAllText(File("slow.json"), baseline.ToJsonString());
        var faster = EdgeLmProcess.Run(["bench", "-p", "8", "-n", "0", "-r", "2", "--baseline", File("slow.json")]);
        Assert.True(faster.ExitCode == 0, faster.StdErr);
        Assert.Contains("no metric got worse", faster.StdErr);
    }

    [Theory]
    [InlineData("-t", "1,x", "-t: 'x' is not an integer")]
    [InlineData("-p", "-1", "lengths must be ≥ 0")]
    [InlineData("--baseline", "/nonexistent/b.json", "does not exist")]
    public void Bad_arguments_fail_with_one_line(string option, string value, string message)
    {
        var r = EdgeLmProcess.Run(["bench", "-n", "4", "-r", "1", option, value]);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains(message, r.StdErr);
        Assert.Single(r.StdErr.TrimEnd('\n').Split('\n'));
    }
}
