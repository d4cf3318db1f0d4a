using EdgeLM.Gguf;
namespace EdgeLM.ModelStore;

/// <summary>
/// Turns what a user gives to `-m` into files: a path to any GGUF (used where it lies, never copied) or a
/// stored name (`qwen3-0.6b:q4_k_m`, or `qwen3-0.6b` when the store holds one tag of it).
/// </summary>
public sealed class ModelResolver(ModelStore store)
{
    public ModelStore Store { get; } = store;

    /// <summary>Resolves against the default store (`$EDGELM_MODELS`).</summary>
    public static ResolvedModel Resolve(string nameOrPath) => new ModelResolver(ModelStore.Default()).ResolveModel(nameOrPath);

    public ResolvedModel ResolveModel(string nameOrPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(nameOrPath);
        // An existing file always wins, so a file called like a stored name still runs from where it lies.
        if (File.Exists(nameOrPath))
        {
            var shards = SplitShardName.ShardsOf(nameOrPath);
            return new ResolvedModel(shards[0], shards, SplitShardName.StemOf(shards[0]));
        }
        if (LooksLikePath(nameOrPath))
        {
            if (Directory.Exists(nameOrPath))
                throw new FileNotFoundException($"{nameOrPath} is a folder; give the path of a .gguf file", nameOrPath);
            throw new FileNotFoundException($"model file not found: {Path.GetFullPath(nameOrPath)}", nameOrPath);
        }
        var parsed = ModelName.TryParse(nameOrPath);
        if (parsed is null)
            throw NotFound(nameOrPath);
        var (model, tag) = parsed.Value;
        StoredModel? found;
        if (tag is not null)
            found = Store.Find(new ModelName(model, tag));
        else
        {
            var tags = Store.List().Where(m => m.Name.Model == model).ToList();
            if (tags.Count > 1)
                throw new ModelNotFoundException(
                    $"model '{nameOrPath}' has several tags in the store; name one: {string.Join(", ", tags.Select(t => t.Name))}",
                    nameOrPath, tags.Select(t => t.Name.ToString()).ToList());
            found = tags.Count == 1 ? tags[0] : null;
        }
        if (found is null)
            throw NotFound(nameOrPath);
        return new ResolvedModel(found.Path, found.Shards, found.Name.ToString()) { Stored = found };
    }

    /// <summary>Stored names close to <paramref name="text"/>: same model, containing it, or a few edits away.</summary>
    public IReadOnlyList<string> CloseMatches(string text, int max = 5)
    {
        string t = text.Trim().ToLowerInvariant();
        string model = t.Split(':')[0];
        return Store.Names()
            .Select(n => (Name: n, Score: Score(n, t, model)))
            .Where(x => x.Score < int.MaxValue)
            .OrderBy(x => x.Score).ThenBy(x => x.Name, StringComparer.Ordinal)
            .Take(max).Select(x => x.Name).ToList();
    }

    private static int Score(string name, string text, string model)
    {
        string nameModel = name.Split(':')[0];
        if (nameModel == model)
            return 0;
        if (name.Contains(model, StringComparison.Ordinal) || model.Contains(nameModel, StringComparison.Ordinal))
            return 1;
        int d = Math.Min(EditDistance.Between(name, text), EditDistance.Between(nameModel, model));
        return d <= Math.Max(2, model.Length / 3) ? 1 + d : int.MaxValue;
    }

    private ModelNotFoundException NotFound(string nameOrPath)
    {
        var close = CloseMatches(nameOrPath);
        string hint = close.Count > 0
            ? $"; did you mean {string.Join(", ", close)}?"
            : Store.Names().Count == 0
                ? $"; the store ({Store.Root}) is empty: `edgelm pull hf.co/ORG/REPO:QUANT` adds models"
                : "; `edgelm list` shows the stored models";
        return new ModelNotFoundException($"no model named '{nameOrPath}' in {Store.Root} and no such file{hint}", nameOrPath, close);
    }

    private static bool LooksLikePath(string s) =>
        s.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase) || s.Contains('/') || s.Contains('\\') || s.StartsWith('.') || s.StartsWith('~');
}
