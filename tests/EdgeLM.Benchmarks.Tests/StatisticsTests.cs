using EdgeLM.Benchmarks.Statistics;

namespace EdgeLM.Benchmarks.Tests;

public sealed class StatisticsTests
{
    [Fact]
    public void Summary_uses_sample_standard_deviation_and_student_t_interval()
    {
        // 2,4,4,4,5,5,7,9: mean 5, sample variance 32/7, t(0.975, 7) = 2.365.
        var s = SampleSummary.Of([2, 4, 4, 4, 5, 5, 7, 9]);
        Assert.Equal(5, s.Mean, 12);
        Assert.Equal(Math.Sqrt(32.0 / 7), s.StdDev, 12);
        Assert.Equal(2.365 * Math.Sqrt(32.0 / 7) / Math.Sqrt(8), s.Ci95, 12);
    }

    [Fact]
    public void One_sample_has_a_zero_width_interval()
    {
        var s = SampleSummary.Of([3.5]);
        Assert.Equal(3.5, s.Mean);
        Assert.Equal(0, s.Ci95);
    }

    [Theory]
    [InlineData(1, 12.706)]
    [InlineData(4, 2.776)]
    [InlineData(30, 2.042)]
    [InlineData(40, 2.021)]
    [InlineData(120, 1.980)]
    public void Student_t_quantiles_match_the_table(int df, double expected) =>
        Assert.Equal(expected, StudentT.Quantile975(df), 2);

    [Fact]
    public void Student_t_rejects_zero_degrees_of_freedom() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => StudentT.Quantile975(0));
}
