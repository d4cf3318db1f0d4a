using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using EdgeLM.Benchmarks.Duel;

namespace EdgeLM.Benchmarks.Tests;

public sealed class DuelTests
{
    /// <summary>A provider that answers from a table, with a fixed latency.</summary>
    private sealed class ScriptedProvider(string name, Func<string, string> answer, double latencyMs) : IDuelProvider
    {
        public string Name => name;

        public int Concurrent;
        public int MaxConcurrent;

        public async Task<Completion> CompleteAsync(string prompt, int maxTokens, CancellationToken cancellation)
        {
            int now = Interlocked.Increment(ref Concurrent);
            MaxConcurrent = Math.Max(MaxConcurrent, now);
            await Task.Yield();
            Interlocked.Decrement(ref Concurrent);
            return new Completion(answer(prompt), latencyMs / 2, latencyMs, 5, 3);
        }

        public void Dispose() { }
    }

    private static readonly TaskPack s_pack = new("t", [new("a", "1"), new("b", "2")], [new ExactScorer()]);

    [Fact]
    public async Task Ranking_puts_quality_before_speed()
    {
        var fastWrong = new ScriptedProvider("fast", _ => "0", 1);
        var slowRight = new ScriptedProvider("slow", p => p == "a" ? "1" : "2", 500);
        var outcomes = await DuelRunner.RunAsync([fastWrong, slowRight], [s_pack]);
        var ranking = DuelRunner.Rank(outcomes);
        Assert.Equal(["slow", "fast"], ranking.Select(r => r.Provider));
        Assert.Equal(2, ranking[0].Correct);
        Assert.Equal(1, ranking[0].Rank);
    }

    [Fact]
    public async Task Speed_breaks_a_quality_tie()
    {
        var slow = new ScriptedProvider("slow", p => p == "a" ? "1" : "x", 500);
        var fast = new ScriptedProvider("fast", p => p == "a" ? "1" : "x", 5);
        var ranking = DuelRunner.Rank(await DuelRunner.RunAsync([slow, fast], [s_pack]));
        Assert.Equal(["fast", "slow"], ranking.Select(r => r.Provider));
    }

    [Fact]
    public async Task Examples_of_one_provider_run_one_at_a_time()
    {
        var p = new ScriptedProvider("p", _ => "1", 1);
        await DuelRunner.RunAsync([p], [s_pack, s_pack with { Name = "u" }]);
        Assert.Equal(1, p.MaxConcurrent);
    }

    [Fact]
    public async Task Report_has_accuracy_and_timings_per_provider_and_task()
    {
        var report = DuelRunner.ToReport(await DuelRunner.RunAsync([new ScriptedProvider("p", _ => "1", 10)], [s_pack]));
        var row = Assert.Single(report.Rows);
        Assert.Equal("p/t", row.Key);
        Assert.Equal("1/2", row.Label("correct"));
        Assert.Equal(0.5, row.Metric("accuracy")!.Summary!.Mean);
        Assert.Equal(5, row.Metric("ttft_ms")!.Summary!.Mean);
        Assert.Equal(10, row.Metric("latency_ms")!.Summary!.Mean);
        Assert.Equal(8, row.Metric("tokens")!.Summary!.Mean);
    }

    /// <summary>An OpenAI-compatible endpoint that streams the answer in two chunks and records the request.</summary>
    private sealed class FakeOpenAi(bool chat, bool usage) : HttpMessageHandler
    {
        public JsonNode? LastBody;
        public string? LastPath;
        public string? LastAuth;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            LastPath = request.RequestUri!.AbsolutePath;
            LastAuth = request.Headers.Authorization?.ToString();
            LastBody = JsonNode.Parse(await request.Content!.ReadAsStringAsync(cancellationToken));
            string Chunk(string text) => chat
                ? $$$"""data: {"choices":[{"index":0,"delta":{"content":{{{JsonValue.Create(text).ToJsonString()}}}}}]}"""
                : $$$"""data: {"choices":[{"index":0,"text":{{{JsonValue.Create(text).ToJsonString()}}}}]}""";
            var sse = new StringBuilder();
            sse.Append(": keep-alive\n\n");
            sse.Append(chat ? """data: {"choices":[{"index":0,"delta":{"role":"assistant"}}]}""" : Chunk("")).Append("\n\n");
            sse.Append(Chunk(" neg")).Append("\n\n").Append(Chunk("ative")).Append("\n\n");
            if (usage)
                sse.Append("""data: {"choices":[],"usage":{"prompt_tokens":11,"completion_tokens":2,"total_tokens":13}}""").Append("\n\n");
            sse.Append("data: [DONE]\n\n");
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(sse.ToString(), Encoding.UTF8, "text/event-stream") };
        }
    }

    [Fact]
    public async Task OpenAi_completions_stream_is_read_with_usage()
    {
        var fake = new FakeOpenAi(chat: false, usage: true);
        using var p = new OpenAiProvider("remote", new Uri("http://127.0.0.1:9/"), "tiny", "sk-test", OpenAiApi.Completions, TimeSpan.FromSeconds(5), fake);
        var c = await p.CompleteAsync("Review: x. Sentiment:", 4, default);
        Assert.Equal(" negative", c.Text);
        Assert.Equal((11, 2), (c.PromptTokens, c.CompletionTokens));
        Assert.Equal("/v1/completions", fake.LastPath);
        Assert.Equal("Bearer sk-test", fake.LastAuth);
        Assert.Equal("Review: x. Sentiment:", (string?)fake.LastBody!["prompt"]);
        Assert.True((bool)fake.LastBody["stream"]!);
        Assert.Equal(4, (int)fake.LastBody["max_tokens"]!);
        Assert.InRange(c.TtftMs, 0, c.TotalMs);
    }

    [Fact]
    public async Task OpenAi_chat_stream_counts_chunks_without_usage()
    {
        var fake = new FakeOpenAi(chat: true, usage: false);
        using var p = new OpenAiProvider("remote", new Uri("http://127.0.0.1:9/v1"), "tiny", null, OpenAiApi.Chat, TimeSpan.FromSeconds(5), fake);
        var c = await p.CompleteAsync("hi", 4, default);
        Assert.Equal(" negative", c.Text);
        Assert.Equal(2, c.CompletionTokens);
        Assert.Equal("/v1/chat/completions", fake.LastPath);
        Assert.Null(fake.LastAuth);
        Assert.Equal("hi", (string?)fake.LastBody!["messages"]![0]!["content"]);
    }

    private sealed class FailingHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.Unauthorized) { Content = new StringContent("""{"error":{"message":"bad key"}}""") });
    }

    [Fact]
    public async Task A_failing_endpoint_scores_wrong_with_the_reason_and_does_not_stop_the_others()
    {
        using var bad = new OpenAiProvider("bad", new Uri("http://127.0.0.1:9"), "m", null, OpenAiApi.Completions, TimeSpan.FromSeconds(5), new FailingHandler());
        var good = new ScriptedProvider("good", p => p == "a" ? "1" : "2", 1);
        var report = DuelRunner.ToReport(await DuelRunner.RunAsync([bad, good], [s_pack]));
        Assert.Equal(["good", "bad"], report.Ranking.Select(r => r.Provider));
        Assert.Equal(2, report.Ranking[1].Errors);
        Assert.Contains(report.Notes, n => n.Contains("401") && n.Contains("bad key"));
    }
}
