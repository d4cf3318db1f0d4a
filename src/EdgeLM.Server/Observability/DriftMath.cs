namespace EdgeLM.Server.Observability;

/// <summary>
/// The two drift measures: the population stability index over bins cut at the reference sample's quantiles, and
/// the two-sample Kolmogorov–Smirnov statistic (the largest gap between the two empirical CDFs).
/// </summary>
public static class DriftMath
{
    /// <summary>Stands in for an empty bin's share so that the logarithm stays finite.</summary>
    public const double Epsilon = 1e-4;

    /// <summary>
    /// Upper bin edges at the reference's k/bins quantiles (nearest rank), k = 1..bins-1, duplicates removed:
    /// bin i holds values in (edge[i-1], edge[i]], the last bin everything above the last edge.
    /// </summary>
    public static double[] QuantileEdges(ReadOnlySpan<double> sortedReference, int bins)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        int n = sortedReference.Length;
        var edges = new List<double>(bins);
        if (n == 0)
            return [];
        for (int k = 1; k < bins; k++)
        {
            int rank = Math.Clamp((int)Math.Ceiling((double)k * n / bins) - 1, 0, n - 1);
            double edge = sortedReference[rank];
            if (edges.Count == 0 || edge > edges[^1])
                edges.Add(edge);
        }
        return [.. edges];
    }

    /// <summary>Share of <paramref name="values"/> in each bin; empty bins get <see cref="Epsilon"/>.</summary>
    public static double[] BinShares(ReadOnlySpan<double> values, double[] edges)
    {
        var counts = new double[edges.Length + 1];
        foreach (double v in values)
        {
            int bin = Array.BinarySearch(edges, v);
            counts[bin >= 0 ? bin : ~bin]++;
        }
        for (int i = 0; i < counts.Length; i++)
            counts[i] = counts[i] == 0 ? Epsilon : counts[i] / values.Length;
        return counts;
    }

    /// <summary>PSI = Σ (live − ref) · ln(live / ref) over the bins; 0 for identical samples, above 0.25 a major shift by the usual rule.</summary>
    public static double Psi(ReadOnlySpan<double> reference, ReadOnlySpan<double> live, int bins = 10)
    {
        if (reference.Length == 0 || live.Length == 0)
            return double.NaN;
        var sorted = reference.ToArray();
        Array.Sort(sorted);
        return Psi(sorted, QuantileEdges(sorted, bins), live);
    }

    /// <summary>PSI with the reference's edges already computed (the monitor computes them once).</summary>
    public static double Psi(ReadOnlySpan<double> reference, double[] edges, ReadOnlySpan<double> live)
    {
        var expected = BinShares(reference, edges);
        var actual = BinShares(live, edges);
        double psi = 0;
        for (int i = 0; i < expected.Length; i++)
            psi += (actual[i] - expected[i]) * Math.Log(actual[i] / expected[i]);
        return psi;
    }

    /// <summary>Two-sample KS statistic: sup over x of |F_a(x) − F_b(x)|, in [0, 1].</summary>
    public static double KolmogorovSmirnov(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.Length == 0 || b.Length == 0)
            return double.NaN;
        var x = a.ToArray();
        var y = b.ToArray();
        Array.Sort(x);
        Array.Sort(y);
        int i = 0, j = 0;
        double d = 0;
        while (i < x.Length && j < y.Length)
        {
            double at = Math.Min(x[i], y[j]);
            while (i < x.Length && x[i] <= at)
                i++;
            while (j < y.Length && y[j] <= at)
                j++;
            d = Math.Max(d, Math.Abs((double)i / x.Length - (double)j / y.Length));
        }
        return d;
    }
}
