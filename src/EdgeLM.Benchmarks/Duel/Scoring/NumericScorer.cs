using System.Globalization;
using System.Text.RegularExpressions;

namespace EdgeLM.Benchmarks.Duel;

/// <summary>
/// The first number in the output is within <c>tolerance</c> of the expected number (absolute difference), so
/// "867", " 867." and "The answer is 867" all count and 866.9 counts with tolerance 0.5.
/// </summary>
public sealed partial class NumericScorer(double tolerance = 0) : IScorer
{
    public string Kind => "numeric";

    public double Tolerance { get; } = tolerance >= 0 ? tolerance : throw new ArgumentOutOfRangeException(nameof(tolerance), "tolerance must be ≥ 0");

    public bool Accepts(string output, TaskExample example)
    {
        if (!double.TryParse(example.Expected.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double expected))
            throw new FormatException($"numeric scorer: expected value '{example.Expected}' is not a number");
        var match = Number().Match(output);
        return match.Success
            && double.TryParse(match.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double actual)
            && Math.Abs(actual - expected) <= Tolerance;
    }

    [GeneratedRegex(@"[-+]?\d+(\.\d+)?([eE][-+]?\d+)?")]
    private static partial Regex Number();
}
