namespace EdgeLM.Benchmarks.Statistics;

/// <summary>
/// Mean, sample standard deviation and the half-width of the 95% confidence interval of the mean
/// (t₀.₉₇₅,n−1 · s / √n) over repeated measurements. One sample gives a zero-width interval.
/// </summary>
public sealed record SampleSummary(double Mean, double StdDev, double Ci95, IReadOnlyList<double> Samples)
{
    public int Count => Samples.Count;

    public double Low => Mean - Ci95;

    public double High => Mean + Ci95;

    public static SampleSummary Of(IReadOnlyList<double> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count == 0)
            throw new ArgumentException("no samples to summarize", nameof(samples));
        double mean = samples.Average();
        if (samples.Count == 1)
            return new SampleSummary(mean, 0, 0, samples.ToArray());
        double sumSquares = 0;
        foreach (double s in samples)
            sumSquares += (s - mean) * (s - mean);
        double sd = Math.Sqrt(sumSquares / (samples.Count - 1));
        double ci = StudentT.Quantile975(samples.Count - 1) * sd / Math.Sqrt(samples.Count);
        return new SampleSummary(mean, sd, ci, samples.ToArray());
    }
}
