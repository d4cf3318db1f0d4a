using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;

namespace EdgeLM.Server.Observability;

/// <summary>
/// Watches completed requests for distribution drift: per statistic (prompt tokens, output tokens, mean token
/// log-prob, empty-or-truncated share) the first <c>window</c> requests form the reference and the most recent
/// <c>window</c> the live sample; after each request PSI and KS are recomputed, rendered on /metrics, and a warning
/// is logged once each time a statistic's PSI rises above the threshold (and an information line when it falls back).
/// </summary>
public sealed class DriftMonitor
{
    /// <summary>Bins cut at the reference's deciles.</summary>
    public const int Bins = 10;

    private readonly object _gate = new();
    private readonly DriftWindow[] _windows;
    private readonly ILogger _log;

    public DriftMonitor(int window, double threshold, ILogger log)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threshold);
        Window = window;
        Threshold = threshold;
        _log = log;
        _windows = [.. DriftSample.Statistics.Select(_ => new DriftWindow(window))];
    }

    public int Window { get; }

    public double Threshold { get; }

    public void Record(DriftSample sample)
    {
        List<(string Name, double Psi, double Ks, bool Up)>? crossings = null;
        lock (_gate)
        {
            for (int i = 0; i < _windows.Length; i++)
            {
                var w = _windows[i];
                w.Add(sample.Value(i), Bins);
                if (!w.Ready)
                    continue;
                bool above = w.Psi > Threshold;
                if (above != w.Alerting)
                {
                    w.Alerting = above;
                    (crossings ??= []).Add((DriftSample.Statistics[i], w.Psi, w.Ks, above));
                }
            }
        }
        if (crossings is null)
            return;
        foreach (var (name, psi, ks, up) in crossings)
        {
            if (up)
                _log.LogWarning("drift: {Statistic} PSI {Psi:F3} crossed the threshold {Threshold} (KS {Ks:F3}; the last {Window} requests against the first ones)",
                    name, psi, Threshold, ks, Window);
            else
                _log.LogInformation("drift: {Statistic} PSI {Psi:F3} back below the threshold {Threshold} (KS {Ks:F3})", name, psi, Threshold, ks);
        }
    }

    /// <summary>Current PSI of a statistic (NaN until its reference window is full).</summary>
    public double Psi(string statistic)
    {
        lock (_gate)
            return _windows[Index(statistic)].Psi;
    }

    public void WriteTo(StringBuilder sb)
    {
        lock (_gate)
        {
            Header(sb, "edgelm_drift_psi", "Population stability index of the live window against the reference window (decile bins).");
            Each(sb, "edgelm_drift_psi", w => w.Psi, readyOnly: true);
            Header(sb, "edgelm_drift_ks", "Two-sample Kolmogorov-Smirnov statistic of the live window against the reference window.");
            Each(sb, "edgelm_drift_ks", w => w.Ks, readyOnly: true);
            Header(sb, "edgelm_drift_alert", "1 while the statistic's PSI is above the drift threshold.");
            Each(sb, "edgelm_drift_alert", w => w.Alerting ? 1 : 0, readyOnly: false);
            Header(sb, "edgelm_drift_reference_requests", "Values in the reference window (complete at the window size).");
            Each(sb, "edgelm_drift_reference_requests", w => w.ReferenceCount, readyOnly: false);
            Header(sb, "edgelm_drift_threshold", "PSI above which drift is reported.");
            sb.Append("edgelm_drift_threshold ").Append(Threshold.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }
    }

    private static int Index(string statistic)
    {
        for (int i = 0; i < DriftSample.Statistics.Count; i++)
            if (DriftSample.Statistics[i] == statistic)
                return i;
        throw new ArgumentException($"unknown drift statistic '{statistic}'", nameof(statistic));
    }

    private static void Header(StringBuilder sb, string name, string help) =>
        sb.Append("# HELP ").Append(name).Append(' ').Append(help).Append("\n# TYPE ").Append(name).Append(" gauge\n");

    private void Each(StringBuilder sb, string name, Func<DriftWindow, double> value, bool readyOnly)
    {
        for (int i = 0; i < _windows.Length; i++)
        {
            if (readyOnly && !_windows[i].Ready)
                continue;
            sb.Append(name).Append("{statistic=\"").Append(DriftSample.Statistics[i]).Append("\"} ")
                .Append(value(_windows[i]).ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        }
    }
}
