namespace EdgeLM.Benchmarks.Duel;

/// <summary>
/// Output equals the expected text after trimming surrounding whitespace on both: completions often start with
/// the space the prompt left open (" negative"), and chat endpoints drop or add it.
/// </summary>
public sealed class ExactScorer : IScorer
{
    public string Kind => "exact";

    public bool Accepts(string output, TaskExample example) =>
        string.Equals(output.Trim(), example.Expected.Trim(), StringComparison.Ordinal);
}
