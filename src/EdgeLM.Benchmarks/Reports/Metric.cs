using EdgeLM.Benchmarks.Statistics;

namespace EdgeLM.Benchmarks.Reports;

/// <summary>Which direction of a metric is an improvement; baselines use it to tell a regression from a gain.</summary>
public enum Better
{
    Higher,
    Lower,
}

/// <summary>
/// One measured quantity of a report row, summarized over its samples, or unavailable with the reason
/// (energy without RAPL), so a report always says why a cell is empty.
/// </summary>
public sealed record Metric(string Name, string Unit, Better Better, SampleSummary? Summary, string? Unavailable = null)
{
    public static Metric Of(string name, string unit, Better better, IReadOnlyList<double> samples) =>
        new(name, unit, better, SampleSummary.Of(samples));

    public static Metric NotAvailable(string name, string unit, Better better, string reason) =>
        new(name, unit, better, null, reason);
}

/// <summary>
/// One line of a report: a stable key (what a baseline matches on), labels in display order, and metrics.
/// </summary>
public sealed record ReportRow(string Key, IReadOnlyList<KeyValuePair<string, string>> Labels, IReadOnlyList<Metric> Metrics)
{
    public string Label(string name) => Labels.FirstOrDefault(l => l.Key == name).Value ?? "";

    public Metric? Metric(string name) => Metrics.FirstOrDefault(m => m.Name == name);
}

/// <summary>Everything a report writer needs: rows, optional ranking lines (duel) and notes (what was n/a and why).</summary>
public sealed record Report(string Kind, string Title, IReadOnlyList<ReportRow> Rows)
{
    public IReadOnlyList<RankEntry> Ranking { get; init; } = [];

    public IReadOnlyList<string> Notes { get; init; } = [];
}

/// <summary>A provider's place in a duel: quality first, then speed.</summary>
public sealed record RankEntry(int Rank, string Provider, int Correct, int Total, double MeanLatencyMs, double MeanTokensPerSecond, int Errors)
{
    public double Accuracy => Total > 0 ? (double)Correct / Total : 0;
}
