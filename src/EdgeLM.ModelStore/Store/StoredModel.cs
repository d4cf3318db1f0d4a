namespace EdgeLM.ModelStore;

/// <summary>A model in the store: its name, its GGUF file(s) and when it was last written.</summary>
public sealed record StoredModel(ModelName Name, IReadOnlyList<string> Shards, long SizeBytes, DateTime ModifiedUtc)
{
    /// <summary>The file a loader opens: the only file, or shard 1 of a split model.</summary>
    public string Path => Shards[0];

    /// <summary>The folder that holds the model's files (removed by `rm`).</summary>
    public string Directory => System.IO.Path.GetDirectoryName(Shards[0])!;
}
