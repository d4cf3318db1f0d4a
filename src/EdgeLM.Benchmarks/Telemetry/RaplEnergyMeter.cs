using System.Globalization;

namespace EdgeLM.Benchmarks.Telemetry;

/// <summary>
/// Package energy from Linux RAPL (powercap): each top-level zone <c>intel-rapl:N</c> exposes a monotonically
/// increasing <c>energy_uj</c> counter that wraps at <c>max_energy_range_uj</c>. Sub-zones (<c>intel-rapl:N:M</c>,
/// core/uncore/dram) are parts of their package and are skipped so energy is not counted twice. When the counters
/// cannot be read (no RAPL, or root-only since CVE-2020-8694), <see cref="Unavailable"/> says why.
/// </summary>
public sealed class RaplEnergyMeter
{
    private readonly IReadOnlyList<Zone> _zones;

    private RaplEnergyMeter(IReadOnlyList<Zone> zones, string? unavailable)
    {
        _zones = zones;
        Unavailable = unavailable;
    }

    public const string DefaultRoot = "/sys/class/powercap";

    /// <summary>Why energy cannot be measured, or null when it can.</summary>
    public string? Unavailable { get; }

    public bool IsAvailable => Unavailable is null;

    public static RaplEnergyMeter Open(string root = DefaultRoot)
    {
        if (!Directory.Exists(root))
            return new RaplEnergyMeter([], $"no RAPL: {root} does not exist");
        var zones = new List<Zone>();
        foreach (string dir in Directory.GetDirectories(root, "intel-rapl:*").Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileName(dir);
            if (name.Count(c => c == ':') != 1)
                continue;
            string energy = Path.Combine(dir, "energy_uj");
            if (!File.Exists(energy))
                continue;
            try
            {
                long max = File.Exists(Path.Combine(dir, "max_energy_range_uj"))
                    ? ReadCounter(Path.Combine(dir, "max_energy_range_uj"))
                    : 0;
                ReadCounter(energy);
                zones.Add(new Zone(energy, max));
            }
            catch (UnauthorizedAccessException)
            {
                return new RaplEnergyMeter([], $"RAPL counters in {root} are readable by root only");
            }
            catch (Exception e) when (e is IOException or FormatException)
            {
                return new RaplEnergyMeter([], $"RAPL counter {energy} is unreadable: {e.Message}");
            }
        }
        return zones.Count == 0
            ? new RaplEnergyMeter([], $"no RAPL package zones (intel-rapl:N) in {root}")
            : new RaplEnergyMeter(zones, null);
    }

    /// <summary>The current counter of every package zone, to pass to <see cref="JoulesSince"/> later.</summary>
    public long[] Read() => _zones.Select(z => ReadCounter(z.EnergyPath)).ToArray();

    /// <summary>Joules consumed since <paramref name="start"/>, summed over packages, correcting one wraparound per zone.</summary>
    public double JoulesSince(long[] start)
    {
        long[] now = Read();
        double microjoules = 0;
        for (int i = 0; i < _zones.Count; i++)
            microjoules += Delta(start[i], now[i], _zones[i].MaxRange);
        return microjoules / 1e6;
    }

    /// <summary>Counter difference; a smaller end value means the counter wrapped once past <paramref name="maxRange"/>.</summary>
    public static long Delta(long start, long end, long maxRange)
    {
        if (end >= start)
            return end - start;
        if (maxRange <= 0)
            throw new InvalidDataException($"RAPL counter went backwards ({start} → {end}) and max_energy_range_uj is unknown");
        return maxRange - start + end;
    }

    private static long ReadCounter(string path) =>
        long.Parse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture);

    private sealed record Zone(string EnergyPath, long MaxRange);
}
