using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using EdgeLM.TestSupport;

namespace EdgeLM.Server.Tests;

/// <summary>Ollama routes, npm clients, tool calls, JSON mode, metrics and the queue limit, on real server processes.</summary>
public sealed class ServerFeatureTests(SharedServer server)
{
    [Fact]
    public async Task Npm_openai_and_ollama_clients_stream_the_greedy_reply()
    {
        string dir = Path.Combine(TestData.RepoRoot, "tests", "EdgeLM.Server.Tests", "node");
        Assert.True(Directory.Exists(Path.Combine(dir, "node_modules")),
            "node_modules missing: run `npm ci --prefix tests/EdgeLM.Server.Tests/node` (.ci/run does)");
        var psi = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dir };
        foreach (var a in new[] { "clients.mjs", server.Url, SharedServer.Key, SharedServer.Model })
            psi.ArgumentList.Add(a);
        using var node = Process.Start(psi)!;
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        Assert.True(node.WaitForExit(120_000), "node did not finish");
        Assert.True(node.ExitCode == 0, await stderr);
        var lines = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToArray();
        Assert.Equal(2, lines.Length);
        string expected = (string)(await Api.Chat(server.Http, "Write a haiku about the sea.", 16))["choices"]![0]!["message"]!["content"]!;
        foreach (var line in lines)
        {
            Assert.Equal(expected, (string)line["text"]!);
            Assert.True((int)line["chunks"]! > 1, $"{line["api"]} got the reply in one piece");
        }
    }

    [Fact]
    public async Task Ollama_generate_streams_ndjson_and_matches_non_streaming()
    {
        string body = """{"model":"tiny-qwen2-Q8_0","prompt":"Why is the sky blue?","options":{"temperature":0,"num_predict":10}""";
        var (status, whole) = await Api.PostJson(server.Http, "/api/generate", body + ",\"stream\":false}");
        Assert.Equal(200, status);
        Assert.True((bool)whole!["done"]!);
        Assert.Equal(10, (int)whole["eval_count"]!);
        using var response = await server.Http.PostAsync("/api/generate", new StringContent(body + "}", Encoding.UTF8, "application/json"));
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.True(lines.Count > 2);
        Assert.True((bool)lines[^1]["done"]!);
        Assert.Equal((string)whole["response"]!, string.Concat(lines.Select(l => (string)l["response"]!)));
    }

    [Fact]
    public async Task Ollama_info_routes_describe_the_models()
    {
        var tags = JsonNode.Parse(await server.Http.GetStringAsync("/api/tags"))!;
        Assert.Contains(tags["models"]!.AsArray(), m => (string)m!["name"]! == SharedServer.Model);
        var ps = JsonNode.Parse(await server.Http.GetStringAsync("/api/ps"))!;
        Assert.Equal(2, ps["models"]!.AsArray().Count);
        Assert.False(string.IsNullOrEmpty((string?)JsonNode.Parse(await server.Http.GetStringAsync("/api/version"))!["version"]));
        var (status, show) = await Api.PostJson(server.Http, "/api/show", """{"model":"tiny-qwen2-Q8_0"}""");
        Assert.Equal(200, status);
        Assert.Equal("qwen2", (string)show!["details"]!["family"]!);
        var (s2, embed) = await Api.PostJson(server.Http, "/api/embed", """{"model":"tiny-qwen2-Q8_0","input":["a","b"]}""");
        Assert.Equal(200, s2);
        Assert.Equal(2, embed!["embeddings"]!.AsArray().Count);
    }

    [Fact]
    public async Task Json_mode_output_is_always_a_prefix_of_a_json_object()
    {
        var (status, body) = await Api.PostJson(server.Http, "/v1/chat/completions",
            """{"model":"tiny-qwen2-Q8_0","messages":[{"role":"user","content":"Give me JSON"}],"max_tokens":40,"temperature":0,"response_format":{"type":"json_object"}}""");
        Assert.Equal(200, status);
        string content = (string)body!["choices"]![0]!["message"]!["content"]!;
        var grammar = new EdgeLM.Inference.Scheduling.JsonGrammar();
        Assert.True(grammar.Feed(Encoding.UTF8.GetBytes(content)), content);
        if ((string)body["choices"]![0]!["finish_reason"]! == "stop")
            Assert.NotNull(JsonNode.Parse(content));
    }

    [Fact]
    public async Task Stop_strings_end_the_reply_before_the_stop_text()
    {
        var first = (string)(await Api.Chat(server.Http, "List things", 12))["choices"]![0]!["message"]!["content"]!;
        string stop = first.Substring(first.Length / 2, 2);
        var (status, body) = await Api.PostJson(server.Http, "/v1/chat/completions", new JsonObject
        {
            ["model"] = SharedServer.Model,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "List things" }),
            ["max_tokens"] = 12,
            ["temperature"] = 0,
            ["stop"] = stop,
        }.ToJsonString());
        Assert.Equal(200, status);
        Assert.Equal(first[..first.IndexOf(stop, StringComparison.Ordinal)], (string)body!["choices"]![0]!["message"]!["content"]!);
        Assert.Equal("stop", (string)body["choices"]![0]!["finish_reason"]!);
    }

    [Fact]
    public async Task Metrics_count_requests_tokens_and_latencies()
    {
        await Api.Chat(server.Http, "metrics please", 4);
        string metrics = await server.Http.GetStringAsync("/metrics");
        Assert.Contains("edgelm_requests_total{route=\"/v1/chat/completions\",status=\"200\"}", metrics);
        Assert.Contains("edgelm_time_to_first_token_seconds_count", metrics);
        Assert.Contains("edgelm_inter_token_latency_seconds_bucket{le=\"+Inf\"}", metrics);
        Assert.Contains("edgelm_kv_cache_tokens{model=\"tiny-qwen2-Q8_0\"}", metrics);
        Assert.Contains("edgelm_queue_depth{model=\"tiny-qwen2-Q8_0\"} 0", metrics);
        long generated = long.Parse(metrics.Split('\n').First(l => l.StartsWith("edgelm_generated_tokens_total ")).Split(' ')[1]);
        Assert.True(generated >= 4);
    }

    [Fact]
    public async Task Repeated_prompt_reuses_the_cached_prefix()
    {
        await Api.Chat(server.Http, "A long shared system prompt would go here, repeated across requests.", 2);
        var again = await Api.Chat(server.Http, "A long shared system prompt would go here, repeated across requests.", 2);
        int prompt = (int)again["usage"]!["prompt_tokens"]!;
        Assert.Equal(prompt - 1, (int)again["usage"]!["prompt_tokens_details"]!["cached_tokens"]!);
    }

    [Fact]
    public async Task Full_queue_is_answered_503_with_retry_after()
    {
        using var small = new ServerProcess("-m", TestData.Models("tiny-qwen2-Q8_0.gguf"), "--port", "0", "--parallel", "1", "--max-queue", "0", "-c", "1024", "-t", "1");
        using var http = small.Client(null);
        string body = """{"messages":[{"role":"user","content":"go"}],"max_tokens":900,"ignore_eos":true,"stream":true}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        using var busy = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(200, (int)busy.StatusCode);
        var reader = new StreamReader(await busy.Content.ReadAsStreamAsync());
        // The second event carries the first token: by then the sequence holds the only slot.
        for (int events = 0; events < 2 && await reader.ReadLineAsync() is { } line;)
            if (line.StartsWith("data: ", StringComparison.Ordinal))
                events++;
        using var refused = await http.PostAsync("/v1/chat/completions", new StringContent("""{"messages":[{"role":"user","content":"me too"}],"max_tokens":2}""", Encoding.UTF8, "application/json"));
        Assert.Equal(503, (int)refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Equal("server_busy", (string?)JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["error"]!["code"]);
    }
}
