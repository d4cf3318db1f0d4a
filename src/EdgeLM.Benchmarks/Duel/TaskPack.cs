namespace EdgeLM.Benchmarks.Duel;

/// <summary>One prompt and the answer a scorer compares the output with.</summary>
public sealed record TaskExample(string Prompt, string Expected);

/// <summary>
/// A named set of examples sharing scorers and a token limit. An example is correct when every scorer accepts the
/// output, so a JSON task can demand both schema validity and the exact fields.
/// </summary>
public sealed record TaskPack(string Name, IReadOnlyList<TaskExample> Examples, IReadOnlyList<IScorer> Scorers, int MaxTokens = 40)
{
    public bool IsCorrect(string output, TaskExample example) => Scorers.All(s => s.Accepts(output, example));
}
