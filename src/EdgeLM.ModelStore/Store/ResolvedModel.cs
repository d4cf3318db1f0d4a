namespace EdgeLM.ModelStore;

/// <summary>
/// A model found by name or path: <see cref="Path"/> is the file to open (shard 1 of a split model),
/// <see cref="Shards"/> all its files in order, <see cref="DisplayName"/> what to call it in messages and APIs.
/// </summary>
public sealed record ResolvedModel(string Path, IReadOnlyList<string> Shards, string DisplayName)
{
    /// <summary>The stored model this came from, or null for a GGUF file given by path.</summary>
    public StoredModel? Stored { get; init; }
}
