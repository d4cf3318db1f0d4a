using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace EdgeLM.Server.Tests;

/// <summary>
/// Malformed and hostile requests each get the documented 4xx error in the API's error format, and afterwards the
/// server serves a valid request normally with every slot free.
/// </summary>
public sealed class HostileRequestTests(SharedServer server)
{
    private const string Chat = "/v1/chat/completions";
    private const string M = "\"model\":\"tiny-qwen2-Q8_0\"";
    private const string Msgs = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

    public static TheoryData<string, string, string, int, string?> Cases()
    {
        string longPrompt = string.Join(' ', Enumerable.Repeat("word", 3000));
        string deep = new string('[', 200) + new string(']', 200);
        return new TheoryData<string, string, string, int, string?>
        {
            { "invalid JSON", Chat, "{", 400, null },
            { "array body", Chat, "[]", 400, null },
            { "empty body", Chat, "", 400, null },
            { "missing messages", Chat, $"{{{M}}}", 400, null },
            { "empty messages", Chat, $"{{{M},\"messages\":[]}}", 400, null },
            { "messages not an array", Chat, $"{{{M},\"messages\":\"hi\"}}", 400, null },
            { "message not an object", Chat, $"{{{M},\"messages\":[1]}}", 400, null },
            { "role missing", Chat, $"{{{M},\"messages\":[{{\"content\":\"hi\"}}]}}", 400, null },
            { "unknown role", Chat, $"{{{M},\"messages\":[{{\"role\":\"wizard\",\"content\":\"hi\"}}]}}", 400, null },
            { "content wrong type", Chat, $"{{{M},\"messages\":[{{\"role\":\"user\",\"content\":5}}]}}", 400, null },
            { "image part", Chat, $"{{{M},\"messages\":[{{\"role\":\"user\",\"content\":[{{\"type\":\"image_url\",\"image_url\":{{\"url\":\"x\"}}}}]}}]}}", 400, null },
            { "unknown model", Chat, $"{{\"model\":\"no-such-model\",{Msgs}}}", 404, "model_not_found" },
            { "model wrong type", Chat, $"{{\"model\":7,{Msgs}}}", 400, null },
            { "negative max_tokens", Chat, $"{{{M},{Msgs},\"max_tokens\":-5}}", 400, null },
            { "zero max_tokens", Chat, $"{{{M},{Msgs},\"max_tokens\":0}}", 400, null },
            { "huge max_tokens", Chat, $"{{{M},{Msgs},\"max_tokens\":1000000000}}", 400, null },
            { "max_tokens beyond context", Chat, $"{{{M},{Msgs},\"max_tokens\":1020}}", 400, "context_length_exceeded" },
            { "fractional max_tokens", Chat, $"{{{M},{Msgs},\"max_tokens\":2.5}}", 400, null },
            { "string max_tokens", Chat, $"{{{M},{Msgs},\"max_tokens\":\"10\"}}", 400, null },
            { "string temperature", Chat, $"{{{M},{Msgs},\"temperature\":\"hot\"}}", 400, null },
            { "temperature too high", Chat, $"{{{M},{Msgs},\"temperature\":5}}", 400, null },
            { "top_p too high", Chat, $"{{{M},{Msgs},\"top_p\":2}}", 400, null },
            { "n above one", Chat, $"{{{M},{Msgs},\"n\":3}}", 400, null },
            { "stop wrong type", Chat, $"{{{M},{Msgs},\"stop\":5}}", 400, null },
            { "too many stops", Chat, $"{{{M},{Msgs},\"stop\":[{string.Join(',', Enumerable.Repeat("\"s\"", 17))}]}}", 400, null },
            { "stream wrong type", Chat, $"{{{M},{Msgs},\"stream\":\"yes\"}}", 400, null },
            { "too many top_logprobs", Chat, $"{{{M},{Msgs},\"logprobs\":true,\"top_logprobs\":50}}", 400, null },
            { "top_logprobs without logprobs", Chat, $"{{{M},{Msgs},\"top_logprobs\":2}}", 400, null },
            { "unknown response_format", Chat, $"{{{M},{Msgs},\"response_format\":{{\"type\":\"xml\"}}}}", 400, null },
            { "malformed tools", Chat, $"{{{M},{Msgs},\"tools\":[{{\"x\":1}}]}}", 400, null },
            { "seed wrong type", Chat, $"{{{M},{Msgs},\"seed\":\"abc\"}}", 400, null },
            { "deeply nested JSON", Chat, $"{{{M},{Msgs},\"x\":{deep}}}", 400, null },
            { "prompt beyond context", Chat, $"{{{M},\"messages\":[{{\"role\":\"user\",\"content\":\"{longPrompt}\"}}]}}", 400, "context_length_exceeded" },
            { "completions without prompt", "/v1/completions", $"{{{M}}}", 400, null },
            { "completions prompt wrong type", "/v1/completions", $"{{{M},\"prompt\":5}}", 400, null },
            { "embeddings empty input", "/v1/embeddings", $"{{{M},\"input\":[]}}", 400, null },
            { "embeddings bad encoding", "/v1/embeddings", $"{{{M},\"input\":\"a\",\"encoding_format\":\"hex\"}}", 400, null },
            { "embeddings input beyond context", "/v1/embeddings", $"{{{M},\"input\":\"{longPrompt}\"}}", 400, "context_length_exceeded" },
            { "unknown route", "/v1/nothing-here", "{}", 404, null },
            { "ollama chat without model", "/api/chat", $"{{{Msgs}}}", 400, null },
            { "ollama num_ctx above the server's", "/api/chat", $"{{{M},{Msgs},\"options\":{{\"num_ctx\":100000}}}}", 400, null },
            { "ollama options wrong type", "/api/generate", $"{{{M},\"prompt\":\"hi\",\"options\":{{\"temperature\":\"x\"}}}}", 400, null },
            { "ollama unknown model", "/api/generate", "{\"model\":\"nope\",\"prompt\":\"hi\"}", 404, null },
        };
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_request_gets_a_documented_error(string name, string path, string body, int status, string? code)
    {
        using var response = await server.Http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(status == (int)response.StatusCode, $"{name}: expected {status}, got {(int)response.StatusCode}: {text}");
        var error = JsonNode.Parse(text)!["error"]!;
        if (path.StartsWith("/api/", StringComparison.Ordinal))
            Assert.False(string.IsNullOrWhiteSpace((string?)error), name);
        else
        {
            Assert.False(string.IsNullOrWhiteSpace((string?)error["message"]), name);
            Assert.Equal(status == 404 || status < 500 ? "invalid_request_error" : "server_error", (string?)error["type"]);
            if (code is not null)
                Assert.Equal(code, (string?)error["code"]);
        }
        await ServesNormallyAfterwards();
    }

    [Fact]
    public async Task Oversized_body_is_refused_with_413()
    {
        string big = $"{{{M},\"messages\":[{{\"role\":\"user\",\"content\":\"{new string('a', 80 * 1024)}\"}}]}}";
        // Expect: 100-continue lets the server refuse before the body is sent; without it the server's early 413
        // races the client's upload and the client may see the connection close instead of the response.
        using var request = new HttpRequestMessage(HttpMethod.Post, Chat) { Content = new StringContent(big, Encoding.UTF8, "application/json") };
        request.Headers.ExpectContinue = true;
        using var response = await server.Http.SendAsync(request);
        Assert.Equal(413, (int)response.StatusCode);
        Assert.Equal("request_too_large", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["code"]);
        await ServesNormallyAfterwards();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key")]
    [InlineData("test-key-12")]
    public async Task Missing_or_wrong_api_key_is_refused_with_401(string? key)
    {
        using var client = server.Process.Client(key);
        using var response = await client.PostAsync(Chat, new StringContent($"{{{M},{Msgs}}}", Encoding.UTF8, "application/json"));
        Assert.Equal(401, (int)response.StatusCode);
        Assert.Equal("invalid_api_key", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["code"]);
        using var health = await client.GetAsync("/health");
        Assert.Equal(200, (int)health.StatusCode);
    }

    [Theory]
    [InlineData("/v1/chat/completions", "messages")]
    [InlineData("/v1/completions", "prompt")]
    public async Task Context_overflow_names_the_field_that_held_the_prompt(string path, string param)
    {
        string longPrompt = string.Join(' ', Enumerable.Repeat("word", 3000));
        string body = param == "prompt"
            ? $"{{{M},\"prompt\":\"{longPrompt}\"}}"
            : $"{{{M},\"messages\":[{{\"role\":\"user\",\"content\":\"{longPrompt}\"}}]}}";
        using var response = await server.Http.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(400, (int)response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal("context_length_exceeded", (string?)error["code"]);
        Assert.Equal(param, (string?)error["param"]);
    }

    [Fact]
    public async Task Client_disconnecting_mid_stream_frees_its_slot()
    {
        var body = $"{{{M},{Msgs},\"max_tokens\":900,\"stream\":true}}";
        // HttpClient's default handler, on disposing an unfinished response, first drains up to 1 MiB for up to 2 s to
        // keep the connection: the tiny model finishes its stream inside that window and the server rightly sees a
        // completed 200. A handler that never drains closes the connection at once, which is the disconnect we test.
        using var handler = new SocketsHttpHandler { MaxResponseDrainSize = 0, ResponseDrainTimeout = TimeSpan.Zero };
        using var client = new HttpClient(handler) { BaseAddress = new Uri(server.Url) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SharedServer.Key);
        using (var request = new HttpRequestMessage(HttpMethod.Post, Chat) { Content = new StringContent(body, Encoding.UTF8, "application/json") })
        using (var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead))
        {
            Assert.Equal(200, (int)response.StatusCode);
            var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            int events = 0;
            while (events < 3 && await reader.ReadLineAsync() is { } line)
                if (line.StartsWith("data: ", StringComparison.Ordinal))
                    events++;
            Assert.Equal(3, events);
        }
        await ServesNormallyAfterwards();
        // The handler records 499 when it notices the disconnect, which can be just after the slot is freed:
        // poll (bounded) instead of reading the metrics once.
        const string expected = "route=\"/v1/chat/completions\",status=\"499\"";
        string metrics = "";
        for (int attempt = 0; attempt < 100 && !metrics.Contains(expected, StringComparison.Ordinal); attempt++)
        {
            if (attempt > 0)
                await Task.Delay(100);
            metrics = await server.Http.GetStringAsync("/metrics");
        }
        Assert.Contains(expected, metrics);
    }

    private async Task ServesNormallyAfterwards()
    {
        var reply = await Api.Chat(server.Http, "still there?", 3);
        Assert.Equal(3, (int)reply["usage"]!["completion_tokens"]!);
        var slots = await Api.WaitIdle(server.Http);
        Assert.True(Api.IsIdle(slots), "a slot leaked: " + slots.ToJsonString());
    }
}
