using EdgeLM.Gguf;
using System.Text.RegularExpressions;

namespace EdgeLM.ModelStore;

/// <summary>
/// A stored model's name, `model:tag` (e.g. `qwen3-0.6b:q4_k_m`): lower case, the tag usually the quantization.
/// It maps to the folder `{store}/{model}/{tag}/` that holds the GGUF file (or all shards of a split file).
/// </summary>
public sealed partial record ModelName(string Model, string Tag)
{
    /// <summary>The tag used when a pulled file has no recognisable quantization in its name.</summary>
    public const string DefaultTag = "latest";

    public override string ToString() => $"{Model}:{Tag}";

    /// <summary>Parses `model:tag` or `model` (tag null); null when the text cannot be a stored name.</summary>
    public static (string Model, string? Tag)? TryParse(string text)
    {
        string t = text.Trim().ToLowerInvariant();
        int colon = t.LastIndexOf(':');
        string model = colon < 0 ? t : t[..colon];
        string? tag = colon < 0 ? null : t[(colon + 1)..];
        if (!IsValidPart(model) || (tag is not null && !IsValidPart(tag)))
            return null;
        return (model, tag);
    }

    /// <summary>A name part is one folder name: no separators, no dot-only names, nothing a shell or file system minds.</summary>
    public static bool IsValidPart(string part) =>
        part.Length is > 0 and <= 128 && part != "." && part != ".." && ValidPart().IsMatch(part);

    /// <summary>Turns free text (a repository or file name) into a valid name part.</summary>
    public static string Sanitize(string text)
    {
        string s = Invalid().Replace(text.Trim().ToLowerInvariant(), "-").Trim('-', '.');
        return s.Length == 0 ? "model" : s.Length > 128 ? s[..128] : s;
    }

    /// <summary>The quantization named in a file name ("Qwen3-0.6B-Q4_K_M.gguf" → "Q4_K_M"), or null.</summary>
    public static string? QuantOf(string fileName)
    {
        string stem = SplitShardName.StemOf(Path.GetFileName(fileName));
        var m = Quant().Match(stem);
        return m.Success ? m.Groups["q"].Value : null;
    }

    /// <summary>
    /// The name a pulled file gets: model from the repository (its "-GGUF" suffix dropped) or, for a bare URL,
    /// from the file name without its quantization; tag from the quantization.
    /// </summary>
    public static ModelName ForPulledFile(string? repository, string fileName, string? quantHint)
    {
        string stem = SplitShardName.StemOf(Path.GetFileName(fileName));
        string? quant = quantHint ?? QuantOf(fileName);
        string model;
        if (repository is not null)
            model = Regex.Replace(repository, "[-_.]gguf$", "", RegexOptions.IgnoreCase);
        else
            model = quant is null ? stem : Regex.Replace(stem, "[-_.]?" + Regex.Escape(quant) + "$", "", RegexOptions.IgnoreCase);
        return new ModelName(Sanitize(model), quant is null ? DefaultTag : Sanitize(quant));
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9._+-]*$")]
    private static partial Regex ValidPart();

    [GeneratedRegex("[^a-z0-9._+-]+")]
    private static partial Regex Invalid();

    // llama.cpp's quantization names: F32, F16, BF16, Q8_0, Q4_K_M, IQ2_XXS, TQ1_0, MXFP4 ..., at the end of the stem.
    [GeneratedRegex(@"(?:^|[-_.])(?<q>(?:I?Q\d(?:_[A-Z0-9]+)*|T?Q\d_\d|BF16|F16|F32|MXFP4(?:_MOE)?))$", RegexOptions.IgnoreCase)]
    private static partial Regex Quant();
}
