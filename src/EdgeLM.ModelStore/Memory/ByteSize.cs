using System.Globalization;

namespace EdgeLM.ModelStore;

/// <summary>Human-readable byte counts in binary units ("4.3 GiB"), invariant culture.</summary>
public static class ByteSize
{
    private static readonly string[] s_units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

    public static string Format(long bytes) => Format(bytes, bytes);

    /// <summary>Formats <paramref name="bytes"/> in the unit <paramref name="scale"/> would get, so the parts of a
    /// sum read in one unit ("5.1 GiB (4.3 GiB + 0.8 GiB)").</summary>
    public static string Format(long bytes, long scale)
    {
        double v = bytes;
        double s = scale;
        int u = 0;
        while (Math.Abs(s) >= 1024 && u < s_units.Length - 1)
        {
            v /= 1024;
            s /= 1024;
            u++;
        }
        return u == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes} B")
            : string.Create(CultureInfo.InvariantCulture, $"{v:0.0} {s_units[u]}");
    }
}
