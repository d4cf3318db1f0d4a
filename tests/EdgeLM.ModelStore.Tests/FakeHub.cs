using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace EdgeLM.ModelStore.Tests;

/// <summary>
/// A loopback stand-in for the Hugging Face hub: `/api/models/{org}/{repo}` lists files, `/{org}/{repo}/resolve/main/{file}`
/// answers 302 to a second server (the "CDN", another origin) with the SHA-256 in X-Linked-ETag, and the CDN serves
/// the bytes with Range support. Knobs make it misbehave the ways the tests need.
/// </summary>
public sealed class FakeHub : IAsyncDisposable
{
    private readonly WebApplication _hub;
    private readonly WebApplication _cdn;

    public ConcurrentQueue<SeenRequest> HubRequests { get; } = new();
    public ConcurrentQueue<SeenRequest> CdnRequests { get; } = new();

    /// <summary>Repository path ("org/repo/file.gguf") → bytes.</summary>
    public ConcurrentDictionary<string, byte[]> Files { get; } = new();

    /// <summary>When set, hub routes answer 401 without this bearer token.</summary>
    public string? RequiredToken { get; set; }

    /// <summary>Announce this instead of the true hash (a wrong one for mismatch tests); "" announces none.</summary>
    public string? AnnouncedHashOverride { get; set; }

    /// <summary>The CDN's next N responses stop after this many body bytes and abort the connection.</summary>
    public long? CutAfterBytes { get; set; }
    public int CutsLeft { get; set; }

    public Uri Endpoint => new(_hub.Urls.First());

    private FakeHub(WebApplication hub, WebApplication cdn)
    {
        _hub = hub;
        _cdn = cdn;
    }

    public static async Task<FakeHub> StartAsync()
    {
        var cdn = Build();
        var hub = Build();
        var fake = new FakeHub(hub, cdn);
        fake.MapCdn();
        fake.MapHub();
        await cdn.StartAsync();
        await hub.StartAsync();
        return fake;
    }

    public static string Sha256Hex(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static WebApplication Build()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        return builder.Build();
    }

    private bool Authorized(HttpContext ctx) =>
        RequiredToken is null || ctx.Request.Headers.Authorization.ToString() == "Bearer " + RequiredToken;

    private void MapHub()
    {
        _hub.MapGet("/api/models/{org}/{repo}", async (HttpContext ctx, string org, string repo) =>
        {
            HubRequests.Enqueue(SeenRequest.Of(ctx));
            if (!Authorized(ctx)) { ctx.Response.StatusCode = 401; return; }
            string prefix = $"{org}/{repo}/";
            var names = Files.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Select(k => k[prefix.Length..]).ToList();
            if (names.Count == 0) { ctx.Response.StatusCode = 404; return; }
            ctx.Response.ContentType = "application/json";
            await using var w = new Utf8JsonWriter(ctx.Response.Body);
            w.WriteStartObject();
            w.WriteString("id", $"{org}/{repo}");
            w.WriteStartArray("siblings");
            foreach (var n in names.Append("README.md"))
            {
                w.WriteStartObject();
                w.WriteString("rfilename", n);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
        _hub.MapGet("/{org}/{repo}/resolve/main/{**file}", (HttpContext ctx, string org, string repo, string file) =>
        {
            HubRequests.Enqueue(SeenRequest.Of(ctx));
            if (!Authorized(ctx)) { ctx.Response.StatusCode = 401; return; }
            if (!Files.TryGetValue($"{org}/{repo}/{file}", out var bytes)) { ctx.Response.StatusCode = 404; return; }
            string hash = AnnouncedHashOverride ?? Sha256Hex(bytes);
            if (hash.Length > 0)
                ctx.Response.Headers["X-Linked-ETag"] = $"\"{hash}\"";
            // A git blob id, as the hub sends in ETag for the redirect: not a SHA-256 and must be ignored.
            ctx.Response.Headers.ETag = "\"0123456789abcdef0123456789abcdef01234567\"";
            ctx.Response.Headers["X-Linked-Size"] = bytes.Length.ToString();
            ctx.Response.StatusCode = 302;
            ctx.Response.Headers.Location = _cdn.Urls.First() + $"/blobs/{org}/{repo}/{file}";
        });
    }

    private void MapCdn()
    {
        _cdn.MapGet("/blobs/{org}/{repo}/{**file}", async (HttpContext ctx, string org, string repo, string file) =>
        {
            CdnRequests.Enqueue(SeenRequest.Of(ctx));
            if (!Files.TryGetValue($"{org}/{repo}/{file}", out var bytes)) { ctx.Response.StatusCode = 404; return; }
            long start = 0;
            string range = ctx.Request.Headers.Range.ToString();
            if (range.StartsWith("bytes=", StringComparison.Ordinal) && range.EndsWith('-'))
            {
                start = long.Parse(range[6..^1]);
                if (start >= bytes.Length)
                {
                    ctx.Response.StatusCode = 416;
                    ctx.Response.Headers.ContentRange = $"bytes */{bytes.Length}";
                    return;
                }
                ctx.Response.StatusCode = 206;
                ctx.Response.Headers.ContentRange = $"bytes {start}-{bytes.Length - 1}/{bytes.Length}";
            }
            ctx.Response.ContentLength = bytes.Length - start;
            ctx.Response.Headers.ETag = "\"cdn-md5-0123456789abcdef\"";
            long end = bytes.Length;
            bool cut = false;
            lock (this)
            {
                if (CutAfterBytes is long n && CutsLeft > 0)
                {
                    CutsLeft--;
                    end = Math.Min(end, start + n);
                    cut = true;
                }
            }
            await ctx.Response.Body.WriteAsync(bytes.AsMemory((int)start, (int)(end - start)));
            if (cut)
            {
                await ctx.Response.Body.FlushAsync();
                ctx.Abort();
            }
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _hub.StopAsync();
        await _cdn.StopAsync();
        await _hub.DisposeAsync();
        await _cdn.DisposeAsync();
    }
}

public sealed record SeenRequest(string Path, string? Range, string? Authorization)
{
    public static SeenRequest Of(HttpContext ctx) => new(
        ctx.Request.Path.Value ?? "",
        ctx.Request.Headers.Range.Count > 0 ? ctx.Request.Headers.Range.ToString() : null,
        ctx.Request.Headers.Authorization.Count > 0 ? ctx.Request.Headers.Authorization.ToString() : null);
}
