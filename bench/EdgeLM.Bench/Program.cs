using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.NoEmit;
using EdgeLM.Bench;

if (args.Length > 0 && args[0] == "quick")
{
    QuickBench.Run(args);
    return;
}

// A short in-process job keeps a full run (about 30 benchmarks) within a few minutes on 2 cores:
// dotnet run -c Release --project bench/EdgeLM.Bench -- --filter '*'
var config = ManualConfig.Create(DefaultConfig.Instance)
    .AddJob(Job.Default
        .WithToolchain(InProcessNoEmitToolchain.Instance)
        .WithLaunchCount(1)
        .WithWarmupCount(3)
        .WithIterationCount(7)
        .WithIterationTime(Perfolizer.Horology.TimeInterval.FromMilliseconds(150))
        .WithId("Short"))
    .AddColumn(StatisticColumn.Min)
    .AddColumn(new BandwidthColumn(fromMin: false), new BandwidthColumn(fromMin: true))
    .WithOptions(ConfigOptions.DisableOptimizationsValidator);
BenchmarkSwitcher.FromAssembly(typeof(BandwidthColumn).Assembly).Run(args, config);
