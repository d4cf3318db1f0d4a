using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EdgeLM.Benchmarks.Duel;

/// <summary>Which OpenAI endpoint a provider calls: raw-prompt completions or chat completions.</summary>
public enum OpenAiApi
{
    Completions,
    Chat,
}

/// <summary>
/// Any OpenAI-compatible server (EdgeLM's own, llama-server, vLLM, Ollama, OpenAI). Requests stream (SSE) so that
/// the time to the first content chunk is the time to first token; usage comes from the final chunk when the
/// server honours stream_options.include_usage, else tokens are counted as content chunks.
/// </summary>
public sealed class OpenAiProvider : IDuelProvider
{
    private readonly HttpClient _http;
    private readonly string _model;
    private readonly OpenAiApi _api;
    private readonly Uri _endpoint;

    public OpenAiProvider(string name, Uri baseUrl, string model, string? apiKey, OpenAiApi api, TimeSpan timeout, HttpMessageHandler? handler = null)
    {
        Name = name;
        _model = model;
        _api = api;
        // The base URL may or may not end in /v1 (OpenAI's clients expect it to; many users leave it out).
        string root = baseUrl.ToString().TrimEnd('/');
        if (!root.EndsWith("/v1", StringComparison.Ordinal))
            root += "/v1";
        _endpoint = new Uri(root + (api == OpenAiApi.Chat ? "/chat/completions" : "/completions"));
        _http = handler is null ? new HttpClient() : new HttpClient(handler);
        _http.Timeout = timeout;
        if (!string.IsNullOrEmpty(apiKey))
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
    }

    public string Name { get; }

    public async Task<Completion> CompleteAsync(string prompt, int maxTokens, CancellationToken cancellation)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = new ByteArrayContent(RequestBody(prompt, maxTokens)) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var clock = Stopwatch.StartNew();
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellation).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            string body = await response.Content.ReadAsStringAsync(cancellation).ConfigureAwait(false);
            throw new HttpRequestException($"{Name}: POST {_endpoint} answered {(int)response.StatusCode}: {Truncate(body, 200)}");
        }
        var text = new StringBuilder();
        double ttft = -1;
        int chunks = 0, promptTokens = 0, completionTokens = -1;
        await using var stream = await response.Content.ReadAsStreamAsync(cancellation).ConfigureAwait(false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellation).ConfigureAwait(false) is string line)
        {
            if (!line.StartsWith("data:", StringComparison.Ordinal))
                continue;
            string data = line[5..].Trim();
            if (data == "[DONE]")
                break;
            JsonNode? chunk;
            try
            {
                chunk = JsonNode.Parse(data);
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{Name}: a stream chunk is not JSON ({e.Message}): {Truncate(data, 200)}");
            }
            string? piece = ContentOf(chunk);
            if (!string.IsNullOrEmpty(piece))
            {
                if (ttft < 0)
                    ttft = clock.Elapsed.TotalMilliseconds;
                text.Append(piece);
                chunks++;
            }
            if (chunk?["usage"] is JsonObject usage)
            {
                promptTokens = (int?)usage["prompt_tokens"] ?? 0;
                completionTokens = (int?)usage["completion_tokens"] ?? -1;
            }
        }
        double total = clock.Elapsed.TotalMilliseconds;
        return new Completion(text.ToString(), ttft < 0 ? total : ttft, total, promptTokens, completionTokens >= 0 ? completionTokens : chunks);
    }

    private string? ContentOf(JsonNode? chunk)
    {
        if (chunk?["choices"] is not JsonArray { Count: > 0 } choices)
            return null;
        var choice = choices[0];
        var node = _api == OpenAiApi.Chat ? choice?["delta"]?["content"] : choice?["text"];
        return node?.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : null;
    }

    private byte[] RequestBody(string prompt, int maxTokens)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("model", _model);
            if (_api == OpenAiApi.Chat)
            {
                w.WriteStartArray("messages");
                w.WriteStartObject();
                w.WriteString("role", "user");
                w.WriteString("content", prompt);
                w.WriteEndObject();
                w.WriteEndArray();
            }
            else
                w.WriteString("prompt", prompt);
            w.WriteNumber("max_tokens", maxTokens);
            w.WriteNumber("temperature", 0);
            w.WriteBoolean("stream", true);
            w.WriteStartObject("stream_options");
            w.WriteBoolean("include_usage", true);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max] + "…";

    public void Dispose() => _http.Dispose();
}
