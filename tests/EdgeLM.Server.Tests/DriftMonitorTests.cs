using System.Text;
using EdgeLM.Server.Observability;
using Microsoft.Extensions.Logging;

namespace EdgeLM.Server.Tests;

/// <summary>The drift monitor as the server drives it: reference then live windows, gauges, one warning per crossing.</summary>
public sealed class DriftMonitorTests
{
    private static DriftSample Short(int i) => new(5 + i % 5, 8, -1.5 - 0.1 * (i % 3), false);

    private static DriftSample Long(int i) => new(300 + i % 7, 8, -1.5 - 0.1 * (i % 3), false);

    [Fact]
    public void Shifted_prompts_cross_once_and_come_back()
    {
        var log = new DriftLog();
        var monitor = new DriftMonitor(20, 0.25, log);
        for (int i = 0; i < 20; i++)
            monitor.Record(Short(i));
        Assert.Equal(0, monitor.Psi("prompt_tokens"), 12);
        for (int i = 0; i < 40; i++)
            monitor.Record(Short(i));
        Assert.Equal(0, monitor.Psi("prompt_tokens"), 12);
        Assert.Empty(log.Warnings);

        for (int i = 0; i < 20; i++)
            monitor.Record(Long(i));
        Assert.True(monitor.Psi("prompt_tokens") > 0.25, $"PSI {monitor.Psi("prompt_tokens")}");
        Assert.Equal(0, monitor.Psi("output_tokens"), 12);
        var warning = Assert.Single(log.Warnings);
        Assert.Contains("prompt_tokens", warning);
        var metrics = new StringBuilder();
        monitor.WriteTo(metrics);
        Assert.Contains("edgelm_drift_alert{statistic=\"prompt_tokens\"} 1\n", metrics.ToString());
        Assert.Contains("edgelm_drift_ks{statistic=\"prompt_tokens\"} 1\n", metrics.ToString());
        Assert.Contains("edgelm_drift_psi{statistic=\"output_tokens\"} 0\n", metrics.ToString());

        for (int i = 0; i < 20; i++)
            monitor.Record(Short(i));
        Assert.Single(log.Warnings);
        Assert.Contains(log.Lines, l => l.Contains("back below", StringComparison.Ordinal));
        Assert.Equal(0, monitor.Psi("prompt_tokens"), 12);
    }

    [Fact]
    public void Nothing_is_reported_before_the_reference_window_is_full()
    {
        var monitor = new DriftMonitor(20, 0.25, new DriftLog());
        for (int i = 0; i < 19; i++)
            monitor.Record(Long(i));
        Assert.True(double.IsNaN(monitor.Psi("prompt_tokens")));
        var metrics = new StringBuilder();
        monitor.WriteTo(metrics);
        Assert.DoesNotContain("edgelm_drift_psi{", metrics.ToString());
        Assert.Contains("edgelm_drift_reference_requests{statistic=\"prompt_tokens\"} 19\n", metrics.ToString());
    }

    [Fact]
    public void Empty_replies_are_left_out_of_the_logprob_window_only()
    {
        var monitor = new DriftMonitor(4, 0.25, new DriftLog());
        for (int i = 0; i < 4; i++)
            monitor.Record(new DriftSample(5, 0, double.NaN, true));
        var metrics = new StringBuilder();
        monitor.WriteTo(metrics);
        Assert.Contains("edgelm_drift_reference_requests{statistic=\"mean_logprob\"} 0\n", metrics.ToString());
        Assert.Contains("edgelm_drift_reference_requests{statistic=\"empty_or_truncated\"} 4\n", metrics.ToString());
    }

    private sealed class DriftLog : ILogger
    {
        public List<string> Lines { get; } = [];

        public List<string> Warnings { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            string line = formatter(state, exception);
            Lines.Add(line);
            if (logLevel == LogLevel.Warning)
                Warnings.Add(line);
        }
    }
}
