using EdgeLM.Server.Observability;

namespace EdgeLM.Server.Tests;

/// <summary>PSI and two-sample KS on known distributions.</summary>
public sealed class DriftMathTests
{
    private static double[] Normal(int n, double mean, double sd, int seed)
    {
        var rng = new Random(seed);
        var x = new double[n];
        for (int i = 0; i < n; i++)
            x[i] = mean + sd * Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        return x;
    }

    [Fact]
    public void Identical_samples_give_zero()
    {
        var a = Normal(200, 10, 3, 1);
        var shuffled = a.Reverse().ToArray();
        Assert.Equal(0, DriftMath.Psi(a, shuffled), 12);
        Assert.Equal(0, DriftMath.KolmogorovSmirnov(a, shuffled), 12);
    }

    [Fact]
    public void Samples_of_the_same_distribution_stay_below_the_threshold()
    {
        var a = Normal(2000, 10, 3, 1);
        var b = Normal(2000, 10, 3, 2);
        Assert.InRange(DriftMath.Psi(a, b), 0, 0.05);
        Assert.InRange(DriftMath.KolmogorovSmirnov(a, b), 0, 0.06);
    }

    [Fact]
    public void A_clearly_shifted_sample_gives_large_values()
    {
        var a = Normal(500, 10, 3, 1);
        var b = Normal(500, 20, 3, 2);
        Assert.True(DriftMath.Psi(a, b) > 2, $"PSI {DriftMath.Psi(a, b)}");
        Assert.True(DriftMath.KolmogorovSmirnov(a, b) > 0.9, $"KS {DriftMath.KolmogorovSmirnov(a, b)}");
    }

    [Fact]
    public void Hand_computed_two_bin_example()
    {
        // Reference 1..4, two bins split at the median 2: shares 0.5 / 0.5. Live {1,3,4,4}: 0.25 / 0.75.
        // PSI = (0.25-0.5) ln(0.25/0.5) + (0.75-0.5) ln(0.75/0.5) = 0.25 ln 2 + 0.25 ln 1.5 = 0.2746531.
        // KS: CDFs differ by 0.25 at x=2 and x=3, agree elsewhere.
        Assert.Equal(0.2746531, DriftMath.Psi([1, 2, 3, 4], [1, 3, 4, 4], bins: 2), 6);
        Assert.Equal(0.25, DriftMath.KolmogorovSmirnov([1, 2, 3, 4], [1, 3, 4, 4]), 12);
    }

    [Fact]
    public void Empty_bins_use_epsilon()
    {
        // Live {3,4,5,6} leaves the lower bin empty: (1e-4 - 0.5) ln(1e-4 / 0.5) + 0.5 ln 2 = 4.6043185.
        Assert.Equal(4.6043185, DriftMath.Psi([1, 2, 3, 4], [3, 4, 5, 6], bins: 2), 6);
        Assert.Equal(0.5, DriftMath.KolmogorovSmirnov([1, 2, 3, 4], [3, 4, 5, 6]), 12);
    }

    [Fact]
    public void Edges_are_the_reference_deciles_without_duplicates()
    {
        double[] sorted = [.. Enumerable.Range(1, 20).Select(i => (double)i)];
        Assert.Equal([2, 4, 6, 8, 10, 12, 14, 16, 18], DriftMath.QuantileEdges(sorted, 10));
        Assert.Equal([0], DriftMath.QuantileEdges([0, 0, 0, 0, 0, 0, 0, 0, 0, 1], 10));
    }

    [Fact]
    public void Binary_statistic_shift_is_detected()
    {
        double[] reference = [.. Enumerable.Repeat(0.0, 18), 1, 1];
        double[] live = [.. Enumerable.Repeat(0.0, 10), .. Enumerable.Repeat(1.0, 10)];
        // Shares 0.9 / 0.1 against 0.5 / 0.5.
        double expected = (0.5 - 0.9) * Math.Log(0.5 / 0.9) + (0.5 - 0.1) * Math.Log(0.5 / 0.1);
        Assert.Equal(expected, DriftMath.Psi(reference, live), 9);
        Assert.Equal(0.4, DriftMath.KolmogorovSmirnov(reference, live), 12);
    }
}
