using System.Net;
using System.Net.Http.Headers;

namespace EdgeLM.ModelStore;

/// <summary>
/// HTTP to the hub with redirects followed by hand. The hub's `resolve` answers 302 to a CDN and announces the
/// file's SHA-256 (its LFS object id) in `X-Linked-ETag` on that 302, which an auto-following HttpClient would
/// hide. Following by hand also makes the token rule explicit: `Authorization` goes only to the endpoint's own
/// origin (scheme, host, port), never to the CDN a redirect points at.
/// </summary>
internal sealed class HubHttp(HttpClient client, Uri endpoint, string? token)
{
    private const int MaxRedirects = 10;

    public Uri Endpoint { get; } = endpoint;

    /// <summary>Sends a GET, following redirects; the response has only its headers read.</summary>
    public async Task<HubResponse> GetAsync(Uri url, long rangeStart, CancellationToken ct)
    {
        var announced = new List<(string Header, string Value)>();
        Uri current = url;
        for (int hop = 0; ; hop++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, current);
            if (rangeStart > 0)
                request.Headers.Range = new RangeHeaderValue(rangeStart, null);
            if (token is not null && SameOrigin(current, Endpoint))
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            HttpResponseMessage response;
            try
            {
                response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
            }
            catch (HttpRequestException e)
            {
                throw new PullException($"cannot reach {current}: {e.Message}");
            }
            Collect(response, announced);
            if (!IsRedirect(response.StatusCode))
                return new HubResponse(response, current, announced);
            var location = response.Headers.Location;
            response.Dispose();
            if (location is null)
                throw new PullException($"{current} answered {(int)response.StatusCode} without a Location header", (int)response.StatusCode);
            if (hop >= MaxRedirects)
                throw new PullException($"more than {MaxRedirects} redirects starting from {url}");
            current = location.IsAbsoluteUri ? location : new Uri(current, location);
        }
    }

    /// <summary>Throws the error a user can act on for a failed status: not found, token needed, or the status itself.</summary>
    public void ThrowIfFailed(HttpResponseMessage response, Uri url, string what)
    {
        if (response.IsSuccessStatusCode)
            return;
        int code = (int)response.StatusCode;
        throw code switch
        {
            404 => new PullException($"{what} not found: {url} answered 404", code),
            401 or 403 when token is null => new PullException(
                $"{what} needs authorization: {url} answered {code}; set HF_TOKEN to a Hugging Face access token (and accept the model's license on its page)", code),
            401 or 403 => new PullException(
                $"{what}: {url} refused the token in HF_TOKEN ({code}); check the token and that you have accepted the model's license", code),
            _ => new PullException($"{what}: {url} answered {code} {response.ReasonPhrase}", code),
        };
    }

    private static bool IsRedirect(HttpStatusCode s) =>
        s is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther
            or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    private static bool SameOrigin(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;

    private static void Collect(HttpResponseMessage r, List<(string, string)> announced)
    {
        if (r.Headers.TryGetValues("X-Linked-ETag", out var linked))
            foreach (string v in linked)
                announced.Add(("X-Linked-ETag", v));
        if (r.Headers.ETag is { } etag)
            announced.Add(("ETag", etag.Tag));
    }
}

/// <summary>The last response of a redirect chain, with the ETag-like headers seen on every hop.</summary>
internal sealed class HubResponse(HttpResponseMessage response, Uri finalUrl, IReadOnlyList<(string Header, string Value)> announced) : IDisposable
{
    public HttpResponseMessage Response { get; } = response;

    public Uri FinalUrl { get; } = finalUrl;

    /// <summary>
    /// The SHA-256 the server announced: the first `X-Linked-ETag` of the chain, else the first `ETag`, that is
    /// 64 hex digits once quotes and a weak `W/` prefix are stripped (git blob ids and CDN md5s are not).
    /// </summary>
    public string? AnnouncedSha256 =>
        announced.Where(a => a.Header == "X-Linked-ETag").Concat(announced.Where(a => a.Header == "ETag"))
            .Select(a => Sha256Text.FromETag(a.Value)).FirstOrDefault(h => h is not null);

    public void Dispose() => Response.Dispose();
}
