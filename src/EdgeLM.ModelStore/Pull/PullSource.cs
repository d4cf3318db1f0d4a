namespace EdgeLM.ModelStore;

/// <summary>
/// What `edgelm pull` was asked for: a Hugging Face repository and quantization (`hf.co/ORG/REPO:QUANT`, the
/// quantization optional), a file in a repository (`hf.co/ORG/REPO/path/FILE.gguf`), or a plain http(s) URL.
/// </summary>
public sealed record PullSource(string? Organization, string? Repository, string? FilePath, string? Quant, Uri? Url)
{
    public bool IsUrl => Url is not null;

    public static PullSource Parse(string source)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        string s = source.Trim();
        if (StripHost(s) is null && (s.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || s.StartsWith("https://", StringComparison.OrdinalIgnoreCase)))
        {
            if (!Uri.TryCreate(s, UriKind.Absolute, out var url))
                throw new ArgumentException($"'{source}' is not a valid URL");
            string file = Uri.UnescapeDataString(url.Segments.LastOrDefault() ?? "");
            if (!file.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase))
                throw new ArgumentException($"the URL {url} does not name a .gguf file");
            return new PullSource(null, null, file, null, url);
        }
        string rest = StripHost(s) ?? throw new ArgumentException(
            $"cannot pull '{source}': expected hf.co/ORG/REPO:QUANT, hf.co/ORG/REPO/FILE.gguf or an https:// URL");
        string? quant = null;
        int colon = rest.LastIndexOf(':');
        if (colon >= 0 && rest.IndexOf('/', colon) < 0)
        {
            quant = rest[(colon + 1)..];
            rest = rest[..colon];
            if (quant.Length == 0)
                throw new ArgumentException($"'{source}' ends with ':' but names no quantization");
        }
        var parts = rest.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2)
            throw new ArgumentException($"'{source}' names no repository: expected hf.co/ORG/REPO");
        foreach (string p in parts)
            if (p is "." or "..")
                throw new ArgumentException($"'{source}' contains a '{p}' path segment");
        string? filePath = parts.Length > 2 ? string.Join('/', parts[2..]) : null;
        if (filePath is not null && !filePath.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"'{source}': {filePath} is not a .gguf file");
        if (filePath is not null && quant is not null)
            throw new ArgumentException($"'{source}' names both a file and a quantization; give one");
        return new PullSource(parts[0], parts[1], filePath, quant, null);
    }

    private static string? StripHost(string s)
    {
        foreach (string host in new[] { "hf.co/", "huggingface.co/", "https://hf.co/", "https://huggingface.co/" })
            if (s.StartsWith(host, StringComparison.OrdinalIgnoreCase))
                return s[host.Length..];
        return null;
    }

    public override string ToString() =>
        Url?.ToString() ?? $"hf.co/{Organization}/{Repository}" + (FilePath is not null ? "/" + FilePath : Quant is not null ? ":" + Quant : "");
}
