using System.Globalization;
using System.Text;

namespace EdgeLM.Server.Observability;

/// <summary>A Prometheus histogram with fixed upper bounds (seconds), updated lock-free.</summary>
public sealed class Histogram(string name, string help, double[] bounds)
{
    private readonly long[] _counts = new long[bounds.Length + 1];
    private long _sumMicros;
    private long _count;

    public void Observe(double seconds)
    {
        int i = 0;
        while (i < bounds.Length && seconds > bounds[i])
            i++;
        Interlocked.Increment(ref _counts[i]);
        Interlocked.Add(ref _sumMicros, (long)(seconds * 1e6));
        Interlocked.Increment(ref _count);
    }

    public void WriteTo(StringBuilder sb)
    {
        sb.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
        sb.Append("# TYPE ").Append(name).Append(" histogram\n");
        long cumulative = 0;
        for (int i = 0; i < bounds.Length; i++)
        {
            cumulative += Interlocked.Read(ref _counts[i]);
            sb.Append(name).Append("_bucket{le=\"").Append(bounds[i].ToString(CultureInfo.InvariantCulture)).Append("\"} ")
                .Append(cumulative).Append('\n');
        }
        cumulative += Interlocked.Read(ref _counts[^1]);
        sb.Append(name).Append("_bucket{le=\"+Inf\"} ").Append(cumulative).Append('\n');
        sb.Append(name).Append("_sum ").Append((Interlocked.Read(ref _sumMicros) / 1e6).ToString(CultureInfo.InvariantCulture)).Append('\n');
        sb.Append(name).Append("_count ").Append(Interlocked.Read(ref _count)).Append('\n');
    }
}
