using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using EdgeLM.Inference;
using EdgeLM.Inference.Chat;
using EdgeLM.TestSupport;

namespace EdgeLM.Server.Tests;

/// <summary>Greedy output through the server equals `edgelm run`, and stays the same under continuous batching.</summary>
public sealed class BatchingEndToEndTests(SharedServer server)
{
    [Fact]
    public async Task Greedy_chat_equals_edgelm_run_on_the_rendered_prompt()
    {
        const int n = 12;
        string path = TestData.Models("tiny-qwen2-Q8_0.gguf");
        string rendered;
        using (var model = Model.Load(path))
        {
            var tk = model.Tokenizer;
            rendered = ChatSession.TemplateFor(model).Apply([new EdgeLM.Templates.ChatMessage("user", "Tell me a story about a lighthouse")],
                addGenerationPrompt: true, tk.BosId is { } b ? tk.TokenText(b) : null, tk.EosId is { } e ? tk.TokenText(e) : null);
        }
        string file = Path.Combine(Path.GetTempPath(), $"edgelm-serve-prompt-{Guid.NewGuid():N}.txt");
        File.WriteAllText(file, rendered, new UTF8Encoding(false));
        try
        {
            var run = EdgeLmProcess.Run("run", "-m", path, "-f", file, "--special", "--temp", "0", "-n", n.ToString(), "-c", "1024", "-t", "1");
            Assert.True(run.ExitCode == 0, run.StdErr);
            string expected = run.StdOut.EndsWith('\n') ? run.StdOut[..^1] : run.StdOut;
            var reply = await Api.Chat(server.Http, "Tell me a story about a lighthouse", n);
            Assert.Equal(expected, (string)reply["choices"]![0]!["message"]!["content"]!);
            Assert.Equal(n, (int)reply["usage"]!["completion_tokens"]!);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Sixteen_concurrent_streams_each_get_their_solo_output_and_overlap_in_time()
    {
        const int clients = 16, tokens = 24;
        string Prompt(int i) => $"Question {i}: what is {i * 7} plus {i + 3}? " + new string('x', i % 5);
        var solo = new string[clients];
        for (int i = 0; i < clients; i++)
            solo[i] = (string)(await Api.Chat(server.Http, Prompt(i), tokens))["choices"]![0]!["message"]!["content"]!;

        var clock = Stopwatch.StartNew();
        var results = await Task.WhenAll(Enumerable.Range(0, clients).Select(i => Stream(Prompt(i), tokens, clock)));
        for (int i = 0; i < clients; i++)
            Assert.Equal(solo[i], results[i].Text);
        // Continuous batching: every stream got its first token before any stream finished.
        double lastFirst = results.Max(r => r.FirstMs), firstEnd = results.Min(r => r.EndMs);
        Assert.True(lastFirst < firstEnd, $"the last first token came at {lastFirst:F0} ms but a stream had already finished at {firstEnd:F0} ms");
    }

    private async Task<(string Text, double FirstMs, double EndMs)> Stream(string prompt, int maxTokens, Stopwatch clock)
    {
        var body = new JsonObject
        {
            ["model"] = SharedServer.Model,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = prompt }),
            ["max_tokens"] = maxTokens,
            ["temperature"] = 0,
            ["stream"] = true,
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        using var response = await server.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(200, (int)response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var text = new StringBuilder();
        double first = -1;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (!line.StartsWith("data: ", StringComparison.Ordinal))
                continue;
            string data = line[6..];
            if (data == "[DONE]")
                break;
            string? piece = (string?)JsonNode.Parse(data)!["choices"]![0]!["delta"]!["content"];
            if (!string.IsNullOrEmpty(piece))
            {
                if (first < 0) first = clock.Elapsed.TotalMilliseconds;
                text.Append(piece);
            }
        }
        return (text.ToString(), first, clock.Elapsed.TotalMilliseconds);
    }
}
