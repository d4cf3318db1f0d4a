using System.ClientModel;
using System.Text.Json.Nodes;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Embeddings;
using OpenAI.Models;

namespace EdgeLM.Server.Tests;

/// <summary>The official OpenAI .NET client against a real `edgelm serve`.</summary>
public sealed class OpenAiClientTests(SharedServer server)
{
    private OpenAIClientOptions Options => new() { Endpoint = new Uri(server.Url + "/v1"), NetworkTimeout = TimeSpan.FromSeconds(120), RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(0) };

    private ChatClient Chat(string model = SharedServer.Model) => new(model, new ApiKeyCredential(SharedServer.Key), Options);

    [Fact]
    public async Task Chat_completion_returns_text_usage_and_finish_reason()
    {
        var completion = (await Chat().CompleteChatAsync([new UserChatMessage("Hello there")],
            new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 8 })).Value;
        Assert.NotEmpty(completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Length, completion.FinishReason);
        Assert.Equal(8, completion.Usage.OutputTokenCount);
        Assert.True(completion.Usage.InputTokenCount > 5);
        Assert.Equal(SharedServer.Model, completion.Model);
    }

    [Fact]
    public async Task Streaming_chat_gives_the_same_text_as_non_streaming()
    {
        var messages = new List<OpenAI.Chat.ChatMessage> { new SystemChatMessage("You are terse."), new UserChatMessage("Name three colors") };
        var options = new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 12 };
        string whole = (await Chat().CompleteChatAsync(messages, options)).Value.Content[0].Text;
        var text = new System.Text.StringBuilder();
        int updates = 0;
        ChatFinishReason? finish = null;
        await foreach (var update in Chat().CompleteChatStreamingAsync(messages, options))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
                updates++;
            }
            finish ??= update.FinishReason;
        }
        Assert.Equal(whole, text.ToString());
        Assert.True(updates > 1, "the reply should arrive in several chunks");
        Assert.Equal(ChatFinishReason.Length, finish);
    }

    [Fact]
    public async Task Logprobs_come_back_for_every_token_with_alternatives()
    {
        var completion = (await Chat().CompleteChatAsync([new UserChatMessage("Count")],
            new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 5, IncludeLogProbabilities = true, TopLogProbabilityCount = 3 })).Value;
        Assert.Equal(5, completion.ContentTokenLogProbabilities.Count);
        foreach (var t in completion.ContentTokenLogProbabilities)
        {
            Assert.Equal(3, t.TopLogProbabilities.Count);
            Assert.True(t.LogProbability <= 0);
            // Greedy: the chosen token is the most likely one.
            Assert.Equal(t.TopLogProbabilities[0].Token, t.Token);
            Assert.Equal(t.TopLogProbabilities[0].LogProbability, t.LogProbability, 4);
        }
        Assert.Equal(string.Concat(completion.ContentTokenLogProbabilities.Select(t => t.Token)), completion.Content[0].Text);
    }

    [Fact]
    public async Task Two_models_are_served_by_name_and_alias()
    {
        var models = (await new OpenAIModelClient(new ApiKeyCredential(SharedServer.Key), Options).GetModelsAsync()).Value;
        Assert.Contains(models, m => m.Id == SharedServer.Model);
        Assert.Contains(models, m => m.Id == SharedServer.Phi);
        var phi = (await Chat(SharedServer.Phi).CompleteChatAsync([new UserChatMessage("Hi")],
            new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 4 })).Value;
        Assert.Equal(SharedServer.Phi, phi.Model);
    }

    [Fact]
    public async Task Embeddings_are_unit_vectors_that_depend_on_the_text()
    {
        var client = new EmbeddingClient(SharedServer.Model, new ApiKeyCredential(SharedServer.Key), Options);
        var result = (await client.GenerateEmbeddingsAsync(["the cat sat", "the cat sat", "quantum chromodynamics"])).Value;
        var a = result[0].ToFloats().ToArray();
        var b = result[1].ToFloats().ToArray();
        var c = result[2].ToFloats().ToArray();
        Assert.True(a.Length >= 16);
        Assert.Equal(1.0, Math.Sqrt(a.Sum(x => (double)x * x)), 4);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public async Task Completions_echo_the_prompt_and_report_legacy_logprobs()
    {
        var (status, body) = await Api.PostJson(server.Http, "/v1/completions",
            """{"model":"tiny-qwen2-Q8_0","prompt":["Once upon a time","The sky"],"max_tokens":4,"temperature":0,"echo":true,"logprobs":2}""");
        Assert.Equal(200, status);
        var choices = body!["choices"]!.AsArray();
        Assert.Equal(2, choices.Count);
        Assert.StartsWith("Once upon a time", (string)choices[0]!["text"]!);
        Assert.StartsWith("The sky", (string)choices[1]!["text"]!);
        Assert.Equal(4, choices[0]!["logprobs"]!["tokens"]!.AsArray().Count);
        Assert.Equal(2, choices[0]!["logprobs"]!["top_logprobs"]![0]!.AsObject().Count);
        Assert.Equal(8, (int)body["usage"]!["completion_tokens"]!);
    }
}
