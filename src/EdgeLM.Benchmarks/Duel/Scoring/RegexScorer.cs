using System.Text.RegularExpressions;

namespace EdgeLM.Benchmarks.Duel;

/// <summary>
/// Output matches a pattern: the scorer's own pattern when configured, else the example's expected text read as a
/// pattern. A match timeout keeps a hostile pattern from hanging the run.
/// </summary>
public sealed class RegexScorer(string? pattern = null) : IScorer
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(1);
    private readonly Regex? _fixed = pattern is null ? null : Create(pattern);

    public string Kind => "regex";

    public bool Accepts(string output, TaskExample example)
    {
        var regex = _fixed ?? Create(example.Expected);
        try
        {
            return regex.IsMatch(output);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    private static Regex Create(string pattern)
    {
        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant, s_timeout);
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"invalid regex '{pattern}': {e.Message}", e);
        }
    }
}
