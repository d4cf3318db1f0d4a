using System.Globalization;
using System.Text.Json;
using EdgeLM.Benchmarks.Reports;

namespace EdgeLM.Benchmarks.Baselines;

/// <summary>A metric that got worse than its baseline by more than the two confidence intervals allow.</summary>
public sealed record Regression(string Key, string Metric, string Unit, double BaselineMean, double BaselineCi95, double CurrentMean, double CurrentCi95)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Key} {Metric}: {BaselineMean:G4} ± {BaselineCi95:G3} → {CurrentMean:G4} ± {CurrentCi95:G3} {Unit}");
}

/// <summary>
/// Compares a run with a saved <c>--json</c> report. A metric regressed when its 95% intervals do not overlap and
/// the current one lies on the worse side: noise within the intervals is not flagged. Rows and metrics that exist
/// on one side only, unavailable metrics and single samples are not compared.
/// </summary>
public static class BaselineComparison
{
    public static IReadOnlyList<Regression> Compare(Report current, IReadOnlyDictionary<string, IReadOnlyList<Metric>> baseline)
    {
        var regressions = new List<Regression>();
        foreach (var row in current.Rows)
        {
            if (!baseline.TryGetValue(row.Key, out var old))
                continue;
            foreach (var metric in row.Metrics)
            {
                var before = old.FirstOrDefault(m => m.Name == metric.Name)?.Summary;
                var now = metric.Summary;
                // One sample has no interval: a difference could be noise, so it is not judged (peak RSS of a run).
                if (before is null || now is null || before.Count < 2 || now.Count < 2)
                    continue;
                bool worse = metric.Better == Better.Higher
                    ? now.Mean + now.Ci95 < before.Mean - before.Ci95
                    : now.Mean - now.Ci95 > before.Mean + before.Ci95;
                if (worse)
                    regressions.Add(new Regression(row.Key, metric.Name, metric.Unit, before.Mean, before.Ci95, now.Mean, now.Ci95));
            }
        }
        return regressions;
    }

    /// <summary>Reads a bench (array) or duel (object with results) JSON report into metrics by row key.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<Metric>> Load(string path)
    {
        using var doc = ParseFile(path);
        var root = doc.RootElement;
        JsonElement rows = root.ValueKind switch
        {
            JsonValueKind.Array => root,
            JsonValueKind.Object when root.TryGetProperty("results", out var r) && r.ValueKind == JsonValueKind.Array => r,
            _ => throw new InvalidDataException($"{path}: not an edgelm bench or duel JSON report (expected an array or an object with \"results\")"),
        };
        var result = new Dictionary<string, IReadOnlyList<Metric>>(StringComparer.Ordinal);
        int index = 0;
        foreach (var row in rows.EnumerateArray())
        {
            string where = $"{path}: results[{index++}]";
            if (row.ValueKind != JsonValueKind.Object || !row.TryGetProperty("key", out var key) || key.ValueKind != JsonValueKind.String)
                throw new InvalidDataException($"{where} has no string \"key\" (was the file written by an older edgelm?)");
            if (!row.TryGetProperty("metrics", out var metrics) || metrics.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException($"{where} has no \"metrics\" object");
            var list = new List<Metric>();
            foreach (var m in metrics.EnumerateObject())
                list.Add(ReadMetric(m, $"{where}.metrics.{m.Name}"));
            result[key.GetString()!] = list;
        }
        return result;
    }

    private static Metric ReadMetric(JsonProperty m, string where)
    {
        var v = m.Value;
        if (v.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException($"{where} is not an object");
        string unit = v.TryGetProperty("unit", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString()! : "";
        var better = v.TryGetProperty("better", out var b) && b.ValueKind == JsonValueKind.String && b.GetString() == "higher" ? Better.Higher : Better.Lower;
        if (!v.TryGetProperty("mean", out var mean))
            return Metric.NotAvailable(m.Name, unit, better, v.TryGetProperty("unavailable", out var why) ? why.ToString() : "not in the baseline");
        double Number(string name) => v.TryGetProperty(name, out var x) && x.ValueKind == JsonValueKind.Number
            ? x.GetDouble()
            : throw new InvalidDataException($"{where}.{name} must be a number");
        _ = mean;
        var samples = v.TryGetProperty("samples", out var s) && s.ValueKind == JsonValueKind.Array
            ? s.EnumerateArray().Select(e => e.GetDouble()).ToArray()
            : [];
        return new Metric(m.Name, unit, better, new Statistics.SampleSummary(Number("mean"), Number("stddev"), Number("ci95"), samples));
    }

    private static JsonDocument ParseFile(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"baseline {path} does not exist", path);
        try
        {
            return JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine}): {e.Message}", e);
        }
    }
}
