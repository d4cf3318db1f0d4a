
namespace EdgeLM.Gguf;

/// <summary>
/// A model stored as one GGUF file or as llama.cpp split shards (`name-00001-of-00003.gguf`), opened together
/// and seen as one: a merged tensor view (name → shard and header entry) and merged metadata. gguf-split puts
/// the model's metadata in the first shard and `split.no`/`split.count`/`split.tensors.count` in every shard.
/// </summary>
public sealed class SplitGguf : IDisposable
{
    private readonly GgufFile[] _shards;
    private readonly Dictionary<string, SplitTensor> _tensors;
    private readonly List<SplitTensor> _ordered;

    private SplitGguf(GgufFile[] shards, Dictionary<string, SplitTensor> tensors, List<SplitTensor> ordered, GgufMetadata metadata)
    {
        _shards = shards;
        _tensors = tensors;
        _ordered = ordered;
        Metadata = metadata;
    }

    /// <summary>
    /// Opens <paramref name="path"/> and, when it is named like a shard, all its sibling shards (any shard's
    /// path will do). Throws naming the shard and key when the shards do not belong together.
    /// </summary>
    public static SplitGguf Open(string path) => Open(SplitShardName.ShardsOf(path));

    /// <summary>Opens the given shards, in order (shard 1 first).</summary>
    public static SplitGguf Open(IReadOnlyList<string> shardPaths)
    {
        if (shardPaths.Count == 0)
            throw new ArgumentException("no GGUF files given", nameof(shardPaths));
        var opened = new List<GgufFile>(shardPaths.Count);
        try
        {
            foreach (string p in shardPaths)
                opened.Add(GgufFile.Open(p));
            var shards = opened.ToArray();
            Validate(shards);
            var tensors = new Dictionary<string, SplitTensor>(StringComparer.Ordinal);
            var ordered = new List<SplitTensor>();
            foreach (var shard in shards)
                foreach (var t in shard.Tensors)
                {
                    var st = new SplitTensor(shard, t);
                    if (!tensors.TryAdd(t.Name, st))
                        throw new SplitGgufException($"tensor '{t.Name}' is in both {Path.GetFileName(tensors[t.Name].File.Path)} and {Path.GetFileName(shard.Path)}");
                    ordered.Add(st);
                }
            var metadata = MergeMetadata(shards);
            long expected = metadata.Contains(SplitKeys.TensorsCount) ? metadata.GetInt64(SplitKeys.TensorsCount) : ordered.Count;
            if (expected != ordered.Count)
                throw new SplitGgufException($"{Path.GetFileName(shards[0].Path)}: {SplitKeys.TensorsCount} says {expected} tensors but the {shards.Length} shards hold {ordered.Count}");
            return new SplitGguf(shards, tensors, ordered, metadata);
        }
        catch
        {
            foreach (var f in opened)
                f.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The metadata of all shards as one: the first shard's keys, then keys only later shards have; `split.no`
    /// is dropped (it differs per shard). Reads headers only; the caller owns the files.
    /// </summary>
    public static GgufMetadata MergeMetadata(IReadOnlyList<GgufFile> shards)
    {
        var merged = new GgufMetadata();
        foreach (var shard in shards)
            foreach (var (key, value) in shard.Metadata)
                if (key != SplitKeys.Number && !merged.Contains(key))
                    merged.Set(key, value);
        return merged;
    }

    /// <summary>Merged metadata of the model at <paramref name="path"/> (any shard), without keeping files open.</summary>
    public static GgufMetadata ReadMetadata(string path)
    {
        using var model = Open(path);
        return model.Metadata;
    }

    /// <summary>The shards in order; one file for an unsplit model.</summary>
    public IReadOnlyList<GgufFile> Shards => _shards;

    /// <summary>Metadata of all shards merged (see <see cref="MergeMetadata"/>).</summary>
    public GgufMetadata Metadata { get; }

    /// <summary>All tensors, shard by shard in file order.</summary>
    public IReadOnlyList<SplitTensor> Tensors => _ordered;

    public IReadOnlyDictionary<string, SplitTensor> TensorsByName => _tensors;

    /// <summary>Bytes of all tensor data (the weights), over all shards.</summary>
    public long TensorBytes => _ordered.Sum(t => t.Info.ByteSize);

    /// <summary>Bytes of all shard files on disk.</summary>
    public long FileBytes => _shards.Sum(s => s.Length);

    public SplitTensor? FindTensor(string name) => _tensors.TryGetValue(name, out var t) ? t : null;

    /// <summary>The tensor called <paramref name="name"/>; throws naming it when no shard has it.</summary>
    public SplitTensor GetTensor(string name) =>
        _tensors.TryGetValue(name, out var t) ? t : throw new KeyNotFoundException($"tensor '{name}' is not in {Path.GetFileName(_shards[0].Path)} (or its shards)");

    public void Dispose()
    {
        foreach (var s in _shards)
            s.Dispose();
    }

    private static void Validate(GgufFile[] shards)
    {
        var first = shards[0];
        if (shards.Length == 1 && !first.Metadata.Contains(SplitKeys.Count))
            return;
        long count = first.Metadata.Contains(SplitKeys.Count) ? first.Metadata.GetInt64(SplitKeys.Count) : 1;
        if (count != shards.Length)
            throw new SplitGgufException($"{Path.GetFileName(first.Path)}: {SplitKeys.Count} is {count} but {shards.Length} shard files were found");
        for (int i = 0; i < shards.Length; i++)
        {
            var m = shards[i].Metadata;
            string name = Path.GetFileName(shards[i].Path);
            if (!m.Contains(SplitKeys.Number))
                throw new GgufMetadataException(SplitKeys.Number, $"missing in shard {name}");
            if (m.GetInt64(SplitKeys.Number) != i)
                throw new SplitGgufException($"{name}: {SplitKeys.Number} is {m.GetInt64(SplitKeys.Number)}, expected {i}");
            if (m.Contains(SplitKeys.Count) && m.GetInt64(SplitKeys.Count) != count)
                throw new SplitGgufException($"{name}: {SplitKeys.Count} is {m.GetInt64(SplitKeys.Count)}, but the first shard says {count}");
        }
    }
}
