using System.Text.Json;
using System.Xml.Linq;
using EdgeLM.Benchmarks.Baselines;
using EdgeLM.Benchmarks.Reports;

namespace EdgeLM.Benchmarks.Tests;

public sealed class ReportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgelm-report-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    internal static Report Bench(double tsScale = 1, double ttftScale = 1) => new("bench", "EdgeLM bench",
    [
        new ReportRow("m.gguf/t2/pp64", [new("model", "m.gguf"), new("test", "pp64"), new("n_prompt", "64"), new("n_gen", "0"), new("n_threads", "2")],
        [
            Metric.Of("ts", "tokens/s", Better.Higher, [500 * tsScale, 510 * tsScale, 490 * tsScale, 505 * tsScale]),
            Metric.Of("ttft_ms", "ms", Better.Lower, [128 * ttftScale, 126 * ttftScale, 131 * ttftScale, 127 * ttftScale]),
            Metric.NotAvailable("energy_j_per_token", "J/token", Better.Lower, "no RAPL"),
        ]),
        new ReportRow("m.gguf/t2/tg16", [new("model", "m.gguf"), new("test", "tg16"), new("n_prompt", "0"), new("n_gen", "16"), new("n_threads", "2")],
        [
            Metric.Of("ts", "tokens/s", Better.Higher, [100 * tsScale, 98 * tsScale, 103 * tsScale, 99 * tsScale]),
        ]),
    ]) { Notes = ["energy per token: n/a (no RAPL)"] };

    private string Save(Report report)
    {
        string path = Path.Combine(_dir, $"{Guid.NewGuid():N}.json");
        ReportFile.Write(path, JsonReportWriter.ToString(report));
        return path;
    }

    [Fact]
    public void Bench_json_keeps_llama_bench_fields()
    {
        using var doc = JsonDocument.Parse(JsonReportWriter.ToString(Bench()));
        var first = doc.RootElement[0];
        Assert.Equal("pp64", first.GetProperty("test").GetString());
        Assert.Equal(64, first.GetProperty("n_prompt").GetInt32());
        Assert.Equal(2, first.GetProperty("n_threads").GetInt32());
        Assert.Equal(501.25, first.GetProperty("avg_ts").GetDouble(), 3);
        Assert.True(first.GetProperty("stddev_ts").GetDouble() > 0);
        Assert.Equal("no RAPL", first.GetProperty("metrics").GetProperty("energy_j_per_token").GetProperty("unavailable").GetString());
    }

    [Fact]
    public void Unchanged_run_passes_its_own_baseline()
    {
        var baseline = BaselineComparison.Load(Save(Bench()));
        Assert.Empty(BaselineComparison.Compare(Bench(), baseline));
    }

    [Fact]
    public void Noise_within_the_interval_is_not_a_regression()
    {
        var baseline = BaselineComparison.Load(Save(Bench()));
        Assert.Empty(BaselineComparison.Compare(Bench(tsScale: 0.99, ttftScale: 1.01), baseline));
    }

    [Fact]
    public void Injected_slowdown_is_flagged_for_every_worse_metric()
    {
        var baseline = BaselineComparison.Load(Save(Bench()));
        var regressions = BaselineComparison.Compare(Bench(tsScale: 0.7, ttftScale: 1.4), baseline);
        Assert.Equal(["m.gguf/t2/pp64 ts", "m.gguf/t2/pp64 ttft_ms", "m.gguf/t2/tg16 ts"], regressions.Select(r => $"{r.Key} {r.Metric}"));
    }

    [Fact]
    public void Improvement_is_not_a_regression()
    {
        var baseline = BaselineComparison.Load(Save(Bench()));
        Assert.Empty(BaselineComparison.Compare(Bench(tsScale: 1.5, ttftScale: 0.5), baseline));
    }

    [Fact]
    public void Duel_report_round_trips_as_a_baseline()
    {
        var duel = new Report("duel", "EdgeLM duel", [new ReportRow("p/t", [new("provider", "p")], [Metric.Of("accuracy", "fraction", Better.Higher, [1, 1, 1, 1])])])
        {
            Ranking = [new RankEntry(1, "p", 4, 4, 10, 50, 0)],
        };
        var baseline = BaselineComparison.Load(Save(duel));
        var worse = duel with { Rows = [new ReportRow("p/t", [], [Metric.Of("accuracy", "fraction", Better.Higher, [0, 0, 0, 0])])] };
        Assert.Empty(BaselineComparison.Compare(duel, baseline));
        Assert.Single(BaselineComparison.Compare(worse, baseline));
    }

    [Fact]
    public void Single_samples_are_not_judged()
    {
        var one = new Report("bench", "b", [new ReportRow("k", [], [Metric.Of("peak_rss_mib", "MiB", Better.Lower, [40])])]);
        var baseline = BaselineComparison.Load(Save(one));
        var bigger = one with { Rows = [new ReportRow("k", [], [Metric.Of("peak_rss_mib", "MiB", Better.Lower, [80])])] };
        Assert.Empty(BaselineComparison.Compare(bigger, baseline));
    }

    [Theory]
    [InlineData("{\"x\":1}", "not an edgelm")]
    [InlineData("[{\"metrics\":{}}]", "no string \"key\"")]
    [InlineData("[{\"key\":\"a\",\"metrics\":{\"ts\":{\"mean\":\"fast\"}}}]", "mean must be a number")]
    [InlineData("[{", "not valid JSON")]
    public void Bad_baseline_says_what_is_wrong(string json, string message)
    {
        string path = Path.Combine(_dir, "bad.json");
        File.WriteAllText(path, json);
        var e = Assert.Throws<InvalidDataException>(() => BaselineComparison.Load(path));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Csv_has_a_header_and_a_line_per_row_with_empty_cells_for_na()
    {
        var lines = CsvReportWriter.ToString(Bench()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("model,test,n_prompt,n_gen,n_threads,ts_mean,ts_stddev,ts_ci95,ttft_ms_mean", lines[0]);
        Assert.Contains("energy_j_per_token_mean", lines[0]);
        Assert.StartsWith("m.gguf,pp64,64,0,2,501.25,", lines[1]);
        Assert.EndsWith(",,,", lines[1]);
    }

    [Fact]
    public void Html_is_self_contained_with_a_chart_per_metric_with_data()
    {
        string html = HtmlReportWriter.ToString(Bench());
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/2000/svg", ""));
        Assert.DoesNotContain("https://", html);
        // Each SVG is well-formed XML with one bar per row that has the metric.
        var charts = System.Text.RegularExpressions.Regex.Matches(html, "<svg.*?</svg>", System.Text.RegularExpressions.RegexOptions.Singleline);
        Assert.Equal(2, charts.Count);
        var bars = charts.Select(c => XElement.Parse(c.Value).Descendants().Count(e => e.Name.LocalName == "rect")).ToArray();
        Assert.Equal([2, 1], bars);
        Assert.Contains("n/a", html);
        Assert.Contains("no RAPL", html);
    }

    [Fact]
    public void Report_file_replaces_the_target_and_leaves_no_temporary()
    {
        string path = Path.Combine(_dir, "r.csv");
        File.WriteAllText(path, "old");
        ReportFile.Write(path, "new");
        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal(["r.csv"], Directory.GetFiles(_dir).Select(Path.GetFileName));
        Assert.Throws<DirectoryNotFoundException>(() => ReportFile.Write(Path.Combine(_dir, "nope", "x.csv"), "x"));
    }
}
