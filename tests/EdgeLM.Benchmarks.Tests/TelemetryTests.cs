using EdgeLM.Benchmarks.Telemetry;

namespace EdgeLM.Benchmarks.Tests;

public sealed class TelemetryTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"edgelm-rapl-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_root))
            Directory.Delete(_root, recursive: true);
    }

    private void Zone(string name, long energy, long max)
    {
        string dir = Path.Combine(_root, name);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "energy_uj"), energy + "\n");
        File.WriteAllText(Path.Combine(dir, "max_energy_range_uj"), max + "\n");
    }

    private void SetEnergy(string name, long energy) => File.WriteAllText(Path.Combine(_root, name, "energy_uj"), energy + "\n");

    [Fact]
    public void Missing_powercap_folder_is_unavailable_with_the_reason()
    {
        var meter = RaplEnergyMeter.Open(Path.Combine(_root, "absent"));
        Assert.False(meter.IsAvailable);
        Assert.Contains("does not exist", meter.Unavailable);
    }

    [Fact]
    public void Folder_without_package_zones_is_unavailable()
    {
        Directory.CreateDirectory(Path.Combine(_root, "intel-rapl"));
        var meter = RaplEnergyMeter.Open(_root);
        Assert.False(meter.IsAvailable);
        Assert.Contains("no RAPL package zones", meter.Unavailable);
    }

    [Fact]
    public void Energy_is_summed_over_packages_and_subzones_are_not_counted_twice()
    {
        Zone("intel-rapl:0", 1_000_000, 262_143_328_850);
        Zone("intel-rapl:1", 5_000_000, 262_143_328_850);
        Zone("intel-rapl:0:0", 100, 262_143_328_850);
        var meter = RaplEnergyMeter.Open(_root);
        Assert.True(meter.IsAvailable, meter.Unavailable);
        var start = meter.Read();
        SetEnergy("intel-rapl:0", 3_000_000);
        SetEnergy("intel-rapl:1", 5_500_000);
        SetEnergy("intel-rapl:0:0", 900_000_000);
        Assert.Equal(2.5, meter.JoulesSince(start), 9);
    }

    [Fact]
    public void Counter_wraparound_is_corrected_with_max_energy_range()
    {
        Zone("intel-rapl:0", 999_000, 1_000_000);
        var meter = RaplEnergyMeter.Open(_root);
        var start = meter.Read();
        SetEnergy("intel-rapl:0", 500);
        // 1,000 µJ to the wrap point plus 500 µJ after it.
        Assert.Equal(0.0015, meter.JoulesSince(start), 12);
    }

    [Fact]
    public void Delta_without_a_known_range_refuses_a_backwards_counter() =>
        Assert.Throws<InvalidDataException>(() => RaplEnergyMeter.Delta(10, 5, 0));

    [Fact]
    public void Garbage_counter_makes_energy_unavailable()
    {
        Zone("intel-rapl:0", 1, 10);
        File.WriteAllText(Path.Combine(_root, "intel-rapl:0", "energy_uj"), "lots\n");
        var meter = RaplEnergyMeter.Open(_root);
        Assert.False(meter.IsAvailable);
        Assert.Contains("unreadable", meter.Unavailable);
    }

    [Fact]
    public void VmHwm_line_is_read_in_bytes()
    {
        Assert.Equal(12345L * 1024, ProcessTelemetry.ParseVmHwm(["Name:\tdotnet", "VmPeak:\t 999 kB", "VmHWM:\t   12345 kB"]));
        Assert.Null(ProcessTelemetry.ParseVmHwm(["VmRSS:\t 5 kB"]));
    }

    [Fact]
    public void Peak_resident_set_covers_a_fresh_allocation()
    {
        var block = new byte[64 << 20];
        Array.Fill(block, (byte)1);
        Assert.True(ProcessTelemetry.PeakResidentBytes() >= block.Length);
        GC.KeepAlive(block);
    }
}
