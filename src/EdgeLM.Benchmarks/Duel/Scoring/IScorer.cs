namespace EdgeLM.Benchmarks.Duel;

/// <summary>Decides whether a provider's output answers an example.</summary>
public interface IScorer
{
    /// <summary>The scorer's name as configuration spells it (exact, contains, regex, json_schema, numeric).</summary>
    string Kind { get; }

    bool Accepts(string output, TaskExample example);
}
