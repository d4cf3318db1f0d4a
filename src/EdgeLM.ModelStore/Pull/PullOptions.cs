namespace EdgeLM.ModelStore;

/// <summary>Settings of a pull: where the hub is, the token, and how to report.</summary>
public sealed class PullOptions
{
    public const string DefaultEndpoint = "https://huggingface.co";

    /// <summary>The hub (`--endpoint`, else `$HF_ENDPOINT`, else https://huggingface.co).</summary>
    public Uri Endpoint { get; init; } = new(DefaultEndpoint);

    /// <summary>Sent as `Authorization: Bearer` to the endpoint's host only (`$HF_TOKEN`).</summary>
    public string? Token { get; init; }

    /// <summary>Store the model under this name instead of the one derived from the source.</summary>
    public ModelName? Name { get; init; }

    /// <summary>Attempts per file when the connection drops; each one resumes where the last stopped.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>How long to wait for another process pulling the same file before giving up.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromMinutes(30);

    public IProgress<DownloadProgress>? Progress { get; init; }

    /// <summary>One-line notices for the user (resuming, waiting for another pull, no hash announced).</summary>
    public Action<string>? Log { get; init; }

    /// <summary>Options from the environment (`HF_TOKEN`, `HF_ENDPOINT`) with an optional endpoint override.</summary>
    public static Uri EndpointFrom(string? option)
    {
        string text = !string.IsNullOrWhiteSpace(option) ? option
            : Environment.GetEnvironmentVariable("HF_ENDPOINT") is { Length: > 0 } env ? env : DefaultEndpoint;
        if (!Uri.TryCreate(text.TrimEnd('/'), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new ArgumentException($"the endpoint '{text}' is not an http(s) URL");
        return uri;
    }
}
