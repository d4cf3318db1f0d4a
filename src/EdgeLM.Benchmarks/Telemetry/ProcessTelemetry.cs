using System.Diagnostics;
using System.Globalization;

namespace EdgeLM.Benchmarks.Telemetry;

/// <summary>Resource use of this process: CPU time consumed and peak resident set size.</summary>
public static class ProcessTelemetry
{
    public static TimeSpan CpuTime()
    {
        using var p = Process.GetCurrentProcess();
        return p.TotalProcessorTime;
    }

    /// <summary>
    /// Peak resident set in bytes. On Linux VmHWM of /proc/self/status is the kernel's own high-water mark;
    /// elsewhere Process.PeakWorkingSet64 is the same figure.
    /// </summary>
    public static long PeakResidentBytes()
    {
        const string status = "/proc/self/status";
        if (File.Exists(status))
        {
            long? hwm = ParseVmHwm(File.ReadLines(status));
            if (hwm is long bytes)
                return bytes;
        }
        using var p = Process.GetCurrentProcess();
        return p.PeakWorkingSet64;
    }

    /// <summary>Reads the "VmHWM:  12345 kB" line of /proc/[pid]/status.</summary>
    public static long? ParseVmHwm(IEnumerable<string> lines)
    {
        foreach (string line in lines)
        {
            if (!line.StartsWith("VmHWM:", StringComparison.Ordinal))
                continue;
            string[] parts = line["VmHWM:".Length..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && parts[1] == "kB" && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out long kb))
                return kb * 1024;
        }
        return null;
    }
}
