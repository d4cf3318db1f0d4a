using System.Globalization;
using System.Text.RegularExpressions;

namespace EdgeLM.Gguf;

/// <summary>
/// llama.cpp's shard naming for split GGUF files: `{prefix}-{no:D5}-of-{count:D5}.gguf`, shard numbers from 1
/// (gguf-split's llama_split_path).
/// </summary>
public static partial class SplitShardName
{
    /// <summary>Parses a shard file name; false for a file that is not named like a shard.</summary>
    public static bool TryParse(string fileName, out string prefix, out int number, out int count)
    {
        var m = Pattern().Match(Path.GetFileName(fileName));
        prefix = "";
        number = count = 0;
        if (!m.Success)
            return false;
        number = int.Parse(m.Groups["no"].Value, CultureInfo.InvariantCulture);
        count = int.Parse(m.Groups["count"].Value, CultureInfo.InvariantCulture);
        if (number < 1 || count < 1 || number > count)
            return false;
        prefix = m.Groups["prefix"].Value;
        return true;
    }

    /// <summary>The file name of shard <paramref name="number"/> (1-based) of <paramref name="count"/>.</summary>
    public static string Format(string prefix, int number, int count) =>
        string.Create(CultureInfo.InvariantCulture, $"{prefix}-{number:D5}-of-{count:D5}.gguf");

    /// <summary>The file name without `.gguf` and without a shard suffix ("m-Q4_K_M-00001-of-00002.gguf" → "m-Q4_K_M").</summary>
    public static string StemOf(string fileName)
    {
        string name = Path.GetFileName(fileName);
        if (TryParse(name, out string prefix, out _, out _))
            return prefix;
        return name.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase) ? name[..^5] : name;
    }

    /// <summary>
    /// All shard paths of the split file <paramref name="path"/> belongs to, in order; just the path itself for a
    /// file not named like a shard. Throws naming the first missing shard.
    /// </summary>
    public static IReadOnlyList<string> ShardsOf(string path)
    {
        string full = Path.GetFullPath(path);
        if (!TryParse(full, out string prefix, out _, out int count))
            return [full];
        string dir = Path.GetDirectoryName(full)!;
        var shards = new List<string>(count);
        for (int i = 1; i <= count; i++)
        {
            string shard = Path.Combine(dir, Format(prefix, i, count));
            if (!File.Exists(shard))
                throw new FileNotFoundException($"split model {Format(prefix, 1, count)} is missing shard {i} of {count}: {shard}", shard);
            shards.Add(shard);
        }
        return shards;
    }

    [GeneratedRegex(@"^(?<prefix>.+)-(?<no>\d{5})-of-(?<count>\d{5})\.gguf$", RegexOptions.IgnoreCase)]
    private static partial Regex Pattern();
}
