namespace EdgeLM.ModelStore;

/// <summary>A model name or path that names nothing; the message lists close matches from the store.</summary>
public sealed class ModelNotFoundException(string message, string nameOrPath, IReadOnlyList<string> closeMatches)
    : FileNotFoundException(message, nameOrPath)
{
    public IReadOnlyList<string> CloseMatches { get; } = closeMatches;
}
