using System.Globalization;
using System.Net;
using System.Text;

namespace EdgeLM.Benchmarks.Reports;

/// <summary>
/// One self-contained HTML file: inline CSS, an SVG bar chart per metric that has data, the ranking (duel), the
/// full table and the notes. No scripts, fonts or external resources, so it opens offline and can be mailed.
/// </summary>
public static class HtmlReportWriter
{
    public static string ToString(Report report, DateTimeOffset? created = null)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(report.Title)).Append("</title>");
        sb.Append("<style>body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}")
          .Append("td,th{border:1px solid #bbb;padding:3px 8px;font-size:13px}td.n{text-align:right}th{background:#eee}")
          .Append(".chart{display:block;margin:1em 0}.na{color:#999}</style></head><body>");
        sb.Append("<h1>").Append(E(report.Title)).Append("</h1>");
        sb.Append("<p>").Append(E((created ?? DateTimeOffset.UtcNow).ToString("u", CultureInfo.InvariantCulture))).Append("</p>");
        if (report.Ranking.Count > 0)
        {
            sb.Append("<h2>Ranking</h2><p>Quality first; mean latency breaks ties.</p><table id=\"ranking\"><tr><th>rank</th><th>provider</th><th>correct</th><th>accuracy</th><th>mean latency (ms)</th><th>tokens/s</th><th>errors</th></tr>");
            foreach (var r in report.Ranking)
                sb.Append(CultureInfo.InvariantCulture, $"<tr><td class=\"n\">{r.Rank}</td><td>{E(r.Provider)}</td><td class=\"n\">{r.Correct}/{r.Total}</td><td class=\"n\">{r.Accuracy:P1}</td><td class=\"n\">{r.MeanLatencyMs:F1}</td><td class=\"n\">{r.MeanTokensPerSecond:F1}</td><td class=\"n\">{r.Errors}</td></tr>");
            sb.Append("</table>");
        }
        sb.Append("<h2>Charts</h2>");
        foreach (string metric in report.Rows.SelectMany(r => r.Metrics).Where(m => m.Summary is not null).Select(m => m.Name).Distinct())
        {
            var bars = report.Rows
                .Select(r => (r.Key, Metric: r.Metric(metric)))
                .Where(x => x.Metric?.Summary is not null)
                .Select(x => (x.Key, x.Metric!.Summary!.Mean, x.Metric.Summary.Ci95))
                .ToArray();
            string unit = report.Rows.Select(r => r.Metric(metric)).First(m => m is not null)!.Unit;
            sb.Append(SvgBarChart.Render(metric, unit, bars));
        }
        sb.Append("<h2>Results</h2><table id=\"results\"><tr>");
        var labels = report.Rows.SelectMany(r => r.Labels.Select(l => l.Key)).Distinct().ToArray();
        var metrics = report.Rows.SelectMany(r => r.Metrics.Select(m => (m.Name, m.Unit))).Distinct().ToArray();
        foreach (string l in labels)
            sb.Append("<th>").Append(E(l)).Append("</th>");
        foreach (var (name, unit) in metrics)
            sb.Append("<th>").Append(E($"{name} ({unit})")).Append("</th>");
        sb.Append("</tr>");
        foreach (var row in report.Rows)
        {
            sb.Append("<tr>");
            foreach (string l in labels)
                sb.Append("<td>").Append(E(row.Label(l))).Append("</td>");
            foreach (var (name, _) in metrics)
            {
                var m = row.Metric(name);
                if (m?.Summary is { } s)
                    sb.Append(CultureInfo.InvariantCulture, $"<td class=\"n\">{s.Mean:G4} ± {s.Ci95:G3}</td>");
                else
                    sb.Append("<td class=\"na\" title=\"").Append(E(m?.Unavailable ?? "")).Append("\">n/a</td>");
            }
            sb.Append("</tr>");
        }
        sb.Append("</table><p>± is the half-width of the 95% confidence interval of the mean (Student t).</p>");
        if (report.Notes.Count > 0)
        {
            sb.Append("<h2>Notes</h2><ul>");
            foreach (string n in report.Notes)
                sb.Append("<li>").Append(E(n)).Append("</li>");
            sb.Append("</ul>");
        }
        sb.Append("</body></html>\n");
        return sb.ToString();
    }

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
