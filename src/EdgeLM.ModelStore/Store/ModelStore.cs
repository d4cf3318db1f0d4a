using EdgeLM.Gguf;
namespace EdgeLM.ModelStore;

/// <summary>
/// The local model store: a folder (`$EDGELM_MODELS`, else LocalApplicationData/edgelm/models) where each model
/// lives in `{model}/{tag}/` as its original GGUF file name (or all its shards). Nothing else is kept there
/// except `.sha256` sidecars, and `.partial`/`.lock` files while a pull runs.
/// </summary>
public sealed class ModelStore
{
    public const string EnvironmentVariable = "EDGELM_MODELS";

    public ModelStore(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
    }

    public string Root { get; }

    /// <summary>The store named by `$EDGELM_MODELS`, or the default folder under the user's data directory.</summary>
    public static ModelStore Default() => new(DefaultRoot());

    public static string DefaultRoot()
    {
        string? env = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(env))
            return env;
        string data = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
        if (string.IsNullOrEmpty(data))
            data = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        return Path.Combine(data, "edgelm", "models");
    }

    /// <summary>The folder a model of this name lives in (whether or not it exists).</summary>
    public string DirectoryOf(ModelName name) => Path.Combine(Root, name.Model, name.Tag);

    /// <summary>Every complete model in the store, by name.</summary>
    public IReadOnlyList<StoredModel> List()
    {
        var models = new List<StoredModel>();
        if (!Directory.Exists(Root))
            return models;
        foreach (string modelDir in Directory.EnumerateDirectories(Root).Order(StringComparer.Ordinal))
            foreach (string tagDir in Directory.EnumerateDirectories(modelDir).Order(StringComparer.Ordinal))
            {
                var name = new ModelName(Path.GetFileName(modelDir), Path.GetFileName(tagDir));
                if (ModelName.IsValidPart(name.Model) && ModelName.IsValidPart(name.Tag) && TryLoad(name, out var m))
                    models.Add(m);
            }
        return models;
    }

    /// <summary>The stored model called <paramref name="name"/>, or null.</summary>
    public StoredModel? Find(ModelName name) => TryLoad(name, out var m) ? m : null;

    /// <summary>The names that are in the store, `model:tag`.</summary>
    public IReadOnlyList<string> Names() => List().Select(m => m.Name.ToString()).ToList();

    /// <summary>Deletes a stored model's folder (all shards and sidecars); refuses anything outside the store.</summary>
    public void Remove(StoredModel model)
    {
        string dir = Path.GetFullPath(model.Directory);
        if (!IsInside(dir))
            throw new UnauthorizedAccessException($"{dir} is not inside the model store {Root}; only stored models can be removed");
        Directory.Delete(dir, recursive: true);
        string parent = Path.GetDirectoryName(dir)!;
        if (IsInside(parent) && Directory.Exists(parent) && !Directory.EnumerateFileSystemEntries(parent).Any())
            Directory.Delete(parent);
    }

    /// <summary>True when <paramref name="path"/> is below the store's root (not the root itself).</summary>
    public bool IsInside(string path)
    {
        string full = Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar);
        string root = Root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        return full.StartsWith(root, StringComparison.Ordinal);
    }

    private bool TryLoad(ModelName name, out StoredModel model)
    {
        model = null!;
        string dir = DirectoryOf(name);
        if (!Directory.Exists(dir))
            return false;
        // A folder holds one model: one .gguf, or the shards of one split file (pick shard 1 and its siblings).
        var ggufs = Directory.EnumerateFiles(dir, "*.gguf").Order(StringComparer.Ordinal).ToList();
        if (ggufs.Count == 0)
            return false;
        string first = ggufs.FirstOrDefault(p => SplitShardName.TryParse(p, out _, out int no, out _) && no == 1) ?? ggufs[0];
        IReadOnlyList<string> shards;
        try
        {
            shards = SplitShardName.ShardsOf(first);
        }
        catch (FileNotFoundException)
        {
            return false;
        }
        long size = 0;
        DateTime modified = DateTime.MinValue;
        foreach (string s in shards)
        {
            var fi = new FileInfo(s);
            size += fi.Length;
            if (fi.LastWriteTimeUtc > modified)
                modified = fi.LastWriteTimeUtc;
        }
        model = new StoredModel(name, shards, size, modified);
        return true;
    }
}
