using System.Globalization;
using System.Text;

namespace EdgeLM.Benchmarks.Reports;

/// <summary>
/// One CSV line per row (RFC 4180 quoting): the labels, then mean, stddev and ci95 of every metric; an unavailable
/// metric leaves its cells empty. Spreadsheets and pandas read it as is.
/// </summary>
public static class CsvReportWriter
{
    public static string ToString(Report report)
    {
        var labels = report.Rows.SelectMany(r => r.Labels.Select(l => l.Key)).Distinct().ToArray();
        var metrics = report.Rows.SelectMany(r => r.Metrics.Select(m => m.Name)).Distinct().ToArray();
        var sb = new StringBuilder();
        var header = labels.Concat(metrics.SelectMany(m => new[] { $"{m}_mean", $"{m}_stddev", $"{m}_ci95" }));
        sb.Append(string.Join(',', header.Select(Quote))).Append("\r\n");
        foreach (var row in report.Rows)
        {
            var cells = labels.Select(row.Label).ToList();
            foreach (string m in metrics)
            {
                var s = row.Metric(m)?.Summary;
                cells.Add(s is null ? "" : Number(s.Mean));
                cells.Add(s is null ? "" : Number(s.StdDev));
                cells.Add(s is null ? "" : Number(s.Ci95));
            }
            sb.Append(string.Join(',', cells.Select(Quote))).Append("\r\n");
        }
        return sb.ToString();
    }

    private static string Number(double v) => v.ToString("G6", CultureInfo.InvariantCulture);

    private static string Quote(string cell) =>
        cell.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell;
}
