using EdgeLM.Quantization.Pruning;

namespace EdgeLM.Quantization.Tests;

public sealed class PruningTests
{
    [Fact]
    public void Two_of_four_keeps_the_two_largest_of_every_group()
    {
        float[] row = [1, -5, 2, 0.5f, 3, 3, -4, 1];
        WeightPruner.Prune(row, 8, new PruneOptions { Ratio = 0.5, Pattern = PrunePattern.TwoOfFour, Force = true }, []);
        Assert.Equal([0, -5, 2, 0, 3, 0, -4, 0], row);
    }

    [Fact]
    public void Wanda_scales_magnitude_by_column_activation()
    {
        float[] row = [1, 2, 3, 4];
        float[] importance = [100, 1, 1, 0.01f];
        WeightPruner.Prune(row, 4, new PruneOptions { Ratio = 0.25, Method = PruneMethod.Wanda }, importance);
        Assert.Equal([1, 2, 3, 0], row);
    }

    [Fact]
    public void Unstructured_magnitude_pruning_removes_the_smallest_per_row()
    {
        float[] rows = [4, -1, 3, 2, /* row 2 */ 0.1f, 0.2f, -0.3f, 0.4f];
        WeightPruner.Prune(rows, 4, new PruneOptions { Ratio = 0.25 }, []);
        Assert.Equal([4, 0, 3, 2, 0, 0.2f, -0.3f, 0.4f], rows);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void Out_of_range_ratio_is_rejected(double ratio)
    {
        Assert.Throws<ArgumentException>(() => new PruneOptions { Ratio = ratio, Force = true }.Validate());
    }
}
