using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace EdgeLM.Bench;

/// <summary>GB/s (10^9 bytes per second) of the bytes a benchmark reads per operation (<see cref="IStreamedBytes"/>).</summary>
public sealed class BandwidthColumn : IColumn
{
    public string Id => "GBps";
    public string ColumnName => "GB/s";
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => "bytes read per operation (weights, or the array) / mean time, in 10^9 bytes/s";

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var report = summary[benchmarkCase];
        if (report?.ResultStatistics is not { } stats)
            return "-";
        long bytes = StreamedBytes.Of(benchmarkCase);
        return bytes <= 0 ? "-" : (bytes / stats.Median).ToString("F1");
    }
}
