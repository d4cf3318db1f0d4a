using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace EdgeLM.Bench;

/// <summary>
/// GB/s (10^9 bytes per second) of the bytes a benchmark reads per operation (<see cref="StreamedBytes"/>), from
/// the median time, or from the fastest iteration (less disturbed when other processes share the cores).
/// </summary>
public sealed class BandwidthColumn(bool fromMin) : IColumn
{
    public string Id => fromMin ? "GBpsMin" : "GBps";
    public string ColumnName => fromMin ? "GB/s (best)" : "GB/s";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => fromMin
        ? "bytes read per operation (weights, or the array) / fastest iteration's time per operation, in 10^9 bytes/s"
        : "bytes read per operation (weights, or the array) / median time, in 10^9 bytes/s";

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var report = summary[benchmarkCase];
        if (report?.ResultStatistics is not { } stats)
            return "-";
        long bytes = StreamedBytes.Of(benchmarkCase);
        return bytes <= 0 ? "-" : (bytes / (fromMin ? stats.Min : stats.Median)).ToString("F1");
    }
}
