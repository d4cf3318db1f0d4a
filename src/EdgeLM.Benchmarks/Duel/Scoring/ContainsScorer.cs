namespace EdgeLM.Benchmarks.Duel;

/// <summary>Output contains the expected text (case-insensitive), for verbose models that wrap the answer in prose.</summary>
public sealed class ContainsScorer : IScorer
{
    public string Kind => "contains";

    public bool Accepts(string output, TaskExample example) =>
        output.Contains(example.Expected.Trim(), StringComparison.OrdinalIgnoreCase);
}
