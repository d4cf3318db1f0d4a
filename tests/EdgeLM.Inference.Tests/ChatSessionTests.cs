using EdgeLM.Inference;
using EdgeLM.Inference.Chat;
using EdgeLM.TestSupport;

namespace EdgeLM.Inference.Tests;

public sealed class ChatSessionTests
{
    [Fact]
    public void Each_turn_processes_only_the_tokens_added_since_the_previous_turn()
    {
        using var model = Model.Load(TestData.Models("tiny-qwen2-Q8_0.gguf"));
        using var session = new InferenceSession(model, new SessionOptions { ContextLength = 512, Threads = 2 });
        var chat = new ChatSession(session, system: "You are a test.");
        var options = new GenerationOptions { MaxTokens = 8, Sampler = Sampling.SamplerOptions.Greedy };

        chat.Send("Hi!", options);
        Assert.Equal(chat.LastPromptTokens, chat.LastPromptEvaluated);
        int firstPrompt = chat.LastPromptTokens;

        foreach (var user in new[] { "Tell me more.", "And then?" })
        {
            var cached = session.Tokens.ToArray();
            chat.Send(user, options);
            var prompt = PromptEncoding.Encode(model.Tokenizer, chat.Render(chat.Messages.Take(chat.Messages.Count - 1).ToList()), parseSpecial: true);
            int common = 0;
            while (common < cached.Length && common < prompt.Length && cached[common] == prompt[common])
                common++;
            Assert.Equal(prompt.Length, chat.LastPromptTokens);
            Assert.Equal(prompt.Length - common, chat.LastPromptEvaluated);
            Assert.True(common >= firstPrompt, $"only {common} tokens reused; the first prompt alone had {firstPrompt}");
            Assert.True(chat.LastPromptEvaluated < prompt.Length / 2, $"{chat.LastPromptEvaluated} of {prompt.Length} prompt tokens were processed");
        }
    }

    [Fact]
    public void Oldest_turns_are_dropped_when_the_context_fills()
    {
        using var model = Model.Load(TestData.Models("tiny-qwen2-Q8_0.gguf"));
        using var session = new InferenceSession(model, new SessionOptions { ContextLength = 96, Threads = 2 });
        var chat = new ChatSession(session);
        int dropped = 0;
        chat.TurnsDropped += n => dropped += n;
        var options = new GenerationOptions { MaxTokens = 8, Sampler = Sampling.SamplerOptions.Greedy };
        for (int i = 0; i < 8; i++)
            chat.Send($"Message number {i} with some extra words to fill the window.", options);
        Assert.True(dropped > 0);
        Assert.Equal("user", chat.Messages[0].Role);
        Assert.Contains("Message number 7", chat.Messages[^2].Content);
        Assert.True(session.Tokens.Count <= 96);
    }
}
