using EdgeLM.Gguf;
using System.Text.RegularExpressions;

namespace EdgeLM.ModelStore;

/// <summary>
/// Picks the file(s) for `hf.co/ORG/REPO:QUANT` from a repository's file list. Rule: among the `.gguf` files
/// (multimodal projectors `mmproj*` left out), those whose file name contains the tag case-insensitively as a
/// whole token (not followed or preceded by a letter, digit or '_', so Q4_K does not pick Q4_K_M); when none
/// does, any that contains it. The shards of one split file count as one choice. Exactly one choice must
/// remain, else the error lists them. Without a tag, Q4_K_M (llama.cpp's default), else the only GGUF.
/// </summary>
public static class QuantFileSelector
{
    public const string DefaultQuant = "Q4_K_M";

    /// <summary>The repository paths to download: one file, or every shard of one split file in order.</summary>
    public static IReadOnlyList<string> Select(IReadOnlyList<string> repoFiles, string? quant, string repoName)
    {
        var ggufs = repoFiles.Where(f => f.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase)
            && !Path.GetFileName(f).StartsWith("mmproj", StringComparison.OrdinalIgnoreCase)).ToList();
        if (ggufs.Count == 0)
            throw new PullException($"{repoName} has no .gguf files");
        var groups = Group(ggufs);
        List<IReadOnlyList<string>> chosen;
        if (quant is null)
        {
            chosen = Matching(groups, DefaultQuant);
            if (chosen.Count == 0 && groups.Count == 1)
                chosen = groups;
            if (chosen.Count == 0)
                throw new PullException($"{repoName} has several GGUF files; name a quantization (hf.co/{repoName}:QUANT), one of: {Describe(groups)}");
        }
        else
        {
            chosen = Matching(groups, quant);
            if (chosen.Count == 0)
                throw new PullException($"{repoName} has no GGUF file for '{quant}'; it has: {Describe(groups)}");
        }
        if (chosen.Count > 1)
            throw new PullException($"'{quant ?? DefaultQuant}' matches several files in {repoName}: {Describe(chosen)}; pull one by its path (hf.co/{repoName}/FILE.gguf)");
        return chosen[0];
    }

    private static List<IReadOnlyList<string>> Matching(List<IReadOnlyList<string>> groups, string quant)
    {
        var token = new Regex("(?<![A-Za-z0-9_])" + Regex.Escape(quant) + "(?![A-Za-z0-9_])", RegexOptions.IgnoreCase);
        var whole = groups.Where(g => token.IsMatch(Path.GetFileName(g[0]))).ToList();
        return whole.Count > 0 ? whole : groups.Where(g => Path.GetFileName(g[0]).Contains(quant, StringComparison.OrdinalIgnoreCase)).ToList();
    }

    /// <summary>Groups shards of the same split file (same folder and prefix); shards sorted by number.</summary>
    private static List<IReadOnlyList<string>> Group(List<string> files)
    {
        var result = new List<IReadOnlyList<string>>();
        var splits = new Dictionary<string, SortedDictionary<int, string>>(StringComparer.Ordinal);
        foreach (string f in files.Order(StringComparer.Ordinal))
        {
            if (SplitShardName.TryParse(f, out string prefix, out int no, out int count))
            {
                string key = $"{Path.GetDirectoryName(f)}/{prefix}/{count}";
                if (!splits.TryGetValue(key, out var shards))
                    splits[key] = shards = new SortedDictionary<int, string>();
                shards[no] = f;
            }
            else
                result.Add([f]);
        }
        foreach (var (key, shards) in splits)
        {
            int count = int.Parse(key[(key.LastIndexOf('/') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            if (shards.Count != count)
                throw new PullException($"the repository lists {shards.Count} of the {count} shards of {shards.Values.First()}");
            result.Add(shards.Values.ToList());
        }
        return result;
    }

    private static string Describe(IEnumerable<IReadOnlyList<string>> groups) =>
        string.Join(", ", groups.Select(g => g.Count == 1 ? g[0] : $"{g[0]} (+{g.Count - 1} shards)"));
}
