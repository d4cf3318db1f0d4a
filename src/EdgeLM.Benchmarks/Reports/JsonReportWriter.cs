using System.Text.Json;

namespace EdgeLM.Benchmarks.Reports;

/// <summary>
/// The machine-readable report, also the format <c>--baseline</c> reads back. Bench writes a top-level array whose
/// objects keep llama-bench's fields (test, model, n_prompt, n_gen, n_threads, avg_ts, stddev_ts, samples_ts) and
/// add key, ci95_ts and a metrics object; duel writes an object with ranking and results.
/// </summary>
public static class JsonReportWriter
{
    public static void Write(Report report, Stream output)
    {
        using var w = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        if (report.Kind == "bench")
            WriteRows(w, report.Rows, legacyBench: true);
        else
        {
            w.WriteStartObject();
            w.WriteString("kind", report.Kind);
            w.WriteStartArray("ranking");
            foreach (var r in report.Ranking)
            {
                w.WriteStartObject();
                w.WriteNumber("rank", r.Rank);
                w.WriteString("provider", r.Provider);
                w.WriteNumber("correct", r.Correct);
                w.WriteNumber("total", r.Total);
                w.WriteNumber("accuracy", Math.Round(r.Accuracy, 4));
                w.WriteNumber("mean_latency_ms", Finite(r.MeanLatencyMs));
                w.WriteNumber("mean_tokens_per_s", Finite(r.MeanTokensPerSecond));
                w.WriteNumber("errors", r.Errors);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WritePropertyName("results");
            WriteRows(w, report.Rows, legacyBench: false);
            w.WriteStartArray("notes");
            foreach (var n in report.Notes)
                w.WriteStringValue(n);
            w.WriteEndArray();
            w.WriteEndObject();
        }
    }

    public static string ToString(Report report)
    {
        using var buffer = new MemoryStream();
        Write(report, buffer);
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteRows(Utf8JsonWriter w, IReadOnlyList<ReportRow> rows, bool legacyBench)
    {
        w.WriteStartArray();
        foreach (var row in rows)
        {
            w.WriteStartObject();
            w.WriteString("key", row.Key);
            foreach (var (name, value) in row.Labels)
            {
                if (legacyBench && name is "n_prompt" or "n_gen" or "n_threads")
                    w.WriteNumber(name, int.Parse(value, System.Globalization.CultureInfo.InvariantCulture));
                else
                    w.WriteString(name, value);
            }
            if (legacyBench && row.Metric("ts")?.Summary is { } ts)
            {
                w.WriteNumber("avg_ts", Math.Round(ts.Mean, 3));
                w.WriteNumber("stddev_ts", Math.Round(ts.StdDev, 3));
                w.WriteNumber("ci95_ts", Math.Round(ts.Ci95, 3));
                w.WriteStartArray("samples_ts");
                foreach (double s in ts.Samples)
                    w.WriteNumberValue(Math.Round(s, 3));
                w.WriteEndArray();
            }
            w.WriteStartObject("metrics");
            foreach (var m in row.Metrics)
            {
                w.WriteStartObject(m.Name);
                w.WriteString("unit", m.Unit);
                w.WriteString("better", m.Better == Better.Higher ? "higher" : "lower");
                if (m.Summary is { } s)
                {
                    w.WriteNumber("mean", Round(s.Mean));
                    w.WriteNumber("stddev", Round(s.StdDev));
                    w.WriteNumber("ci95", Round(s.Ci95));
                    w.WriteNumber("n", s.Count);
                    w.WriteStartArray("samples");
                    foreach (double v in s.Samples)
                        w.WriteNumberValue(Round(v));
                    w.WriteEndArray();
                }
                else
                    w.WriteString("unavailable", m.Unavailable);
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static double Finite(double v) => double.IsFinite(v) ? Math.Round(v, 3) : -1;

    // Six significant digits: enough for any timing, and a baseline read back compares what was printed.
    private static double Round(double v) => double.IsFinite(v) ? double.Parse(v.ToString("G6", System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture) : 0;
}
