using EdgeLM.Gguf;
using System.Text.Json;

namespace EdgeLM.ModelStore;

/// <summary>
/// `edgelm pull`: finds the file(s) a source names, downloads them into the store (resumable, verified,
/// renamed into place at the end) and returns the stored model.
/// </summary>
public sealed class ModelPuller(ModelStore store, HttpClient client)
{
    /// <summary>An HttpClient for pulls: redirects are followed by <see cref="HubHttp"/>, not the handler.</summary>
    public static HttpClient CreateHttpClient() =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, ConnectTimeout = TimeSpan.FromSeconds(30) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };

    public async Task<PullResult> PullAsync(string source, PullOptions options, CancellationToken ct = default)
    {
        var parsed = PullSource.Parse(source);
        var http = new HubHttp(client, options.Endpoint, options.Token);
        IReadOnlyList<(Uri Url, string FileName)> files;
        ModelName name;
        if (parsed.Url is not null)
        {
            files = [(parsed.Url, SafeFileName(parsed.FilePath!))];
            name = options.Name ?? ModelName.ForPulledFile(null, parsed.FilePath!, null);
        }
        else
        {
            string repo = $"{parsed.Organization}/{parsed.Repository}";
            IReadOnlyList<string> paths = parsed.FilePath is not null
                ? SplitPathsOf(parsed.FilePath)
                : QuantFileSelector.Select(await ListRepositoryAsync(http, repo, ct).ConfigureAwait(false), parsed.Quant, repo);
            files = paths.Select(p => (ResolveUrl(options.Endpoint, repo, p), SafeFileName(p))).ToList();
            name = options.Name ?? ModelName.ForPulledFile(parsed.Repository, paths[0], parsed.Quant);
        }

        string dir = store.DirectoryOf(name);
        var others = Directory.Exists(dir)
            ? Directory.EnumerateFiles(dir, "*.gguf").Select(Path.GetFileName).Except(files.Select(f => f.FileName)).ToList()
            : [];
        if (others.Count > 0)
            throw new PullException($"the name {name} is already used by {others[0]} in {dir}; remove it (edgelm rm {name}) or pull with --name");

        var downloader = new FileDownloader(http, options);
        var done = new List<DownloadedFile>();
        foreach (var (url, fileName) in files)
            done.Add(await downloader.DownloadAsync(url, Path.Combine(dir, fileName), ct).ConfigureAwait(false));
        var model = store.Find(name) ?? throw new PullException($"{name} was downloaded to {dir} but is not readable as a stored model");
        return new PullResult(model, done);
    }

    /// <summary>`{endpoint}/{org}/{repo}/resolve/main/{path}`, each path segment escaped.</summary>
    public static Uri ResolveUrl(Uri endpoint, string repo, string path) =>
        new(endpoint.ToString().TrimEnd('/') + "/" + repo + "/resolve/main/" + string.Join('/', path.Split('/').Select(Uri.EscapeDataString)));

    /// <summary>The repository's file paths from `GET {endpoint}/api/models/{org}/{repo}` (`siblings[].rfilename`).</summary>
    private static async Task<IReadOnlyList<string>> ListRepositoryAsync(HubHttp http, string repo, CancellationToken ct)
    {
        var url = new Uri(http.Endpoint.ToString().TrimEnd('/') + "/api/models/" + repo);
        using var hub = await http.GetAsync(url, 0, ct).ConfigureAwait(false);
        http.ThrowIfFailed(hub.Response, url, $"repository {repo}");
        await using var body = await hub.Response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        JsonDocument doc;
        try
        {
            doc = await JsonDocument.ParseAsync(body, default, ct).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            throw new PullException($"{url} did not answer with JSON: {e.Message}");
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("siblings", out var siblings)
                || siblings.ValueKind != JsonValueKind.Array)
                throw new PullException($"{url} answered without a 'siblings' list of files");
            var names = new List<string>();
            foreach (var s in siblings.EnumerateArray())
                if (s.ValueKind == JsonValueKind.Object && s.TryGetProperty("rfilename", out var f) && f.ValueKind == JsonValueKind.String)
                    names.Add(f.GetString()!);
            return names;
        }
    }

    /// <summary>A file named in a source: itself, or all shards when it is named like a shard.</summary>
    private static IReadOnlyList<string> SplitPathsOf(string path)
    {
        if (!SplitShardName.TryParse(path, out string prefix, out _, out int count))
            return [path];
        string folder = path.Contains('/') ? path[..(path.LastIndexOf('/') + 1)] : "";
        return Enumerable.Range(1, count).Select(i => folder + SplitShardName.Format(prefix, i, count)).ToList();
    }

    /// <summary>The last path segment, refused when it could leave the model's folder or is not a GGUF.</summary>
    private static string SafeFileName(string path)
    {
        string name = path[(path.LastIndexOfAny(['/', '\\']) + 1)..];
        if (name is "" or "." or ".." || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || !name.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase))
            throw new PullException($"refusing to store a file named '{path}'");
        return name;
    }
}
