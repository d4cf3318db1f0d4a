using EdgeLM.Inference;
using EdgeLM.Inference.ExtensionsAI;
using EdgeLM.Inference.Sampling;
using EdgeLM.Inference.Scheduling;
using EdgeLM.TestSupport;
using Microsoft.Extensions.AI;

namespace EdgeLM.Server.Tests;

/// <summary>The batch scheduler in process: batch independence, chunked prefill, prefix reuse, cancellation, queue limit.</summary>
public sealed class SchedulerTests : IDisposable
{
    private readonly Model _model = Model.Load(TestData.Models("tiny-llama-Q8_0.gguf"));

    private static SequenceRequest Greedy(int[] prompt, int n) => new()
    {
        Prompt = prompt,
        Generation = new GenerationOptions { MaxTokens = n, Sampler = SamplerOptions.Greedy, StopAtEndOfGeneration = false },
    };

    private int[] Tokens(string text) => PromptEncoding.Encode(_model.Tokenizer, text, parseSpecial: false);

    [Fact]
    public async Task Greedy_output_does_not_depend_on_what_else_is_in_the_batch()
    {
        // A step budget of 5 prompt tokens forces chunked prefill interleaved with other sequences' decoding.
        using var scheduler = new BatchScheduler(_model, new BatchSchedulerOptions { Parallel = 4, ContextLength = 256, StepTokens = 5, Threads = 1 });
        var a = Tokens("The quick brown fox jumps over the lazy dog and");
        var alone = (await scheduler.TrySubmit(Greedy(a, 20))!.Completion).Tokens;
        using var fresh = new BatchScheduler(_model, new BatchSchedulerOptions { Parallel = 4, ContextLength = 256, StepTokens = 5, Threads = 1 });
        var others = new[] { "Once upon a time", "In a galaxy far far away there was a", "Hello" }
            .Select(t => fresh.TrySubmit(Greedy(Tokens(t), 30))!).ToList();
        var mixed = fresh.TrySubmit(Greedy(a, 20))!;
        Assert.Equal(alone, (await mixed.Completion).Tokens);
        await Task.WhenAll(others.Select(o => o.Completion));
        // And the same as the single-sequence session.
        using var session = new InferenceSession(_model, new SessionOptions { ContextLength = 256, Threads = 1 });
        var reference = new TextGenerator(session).Generate(a, new GenerationOptions { MaxTokens = 20, Sampler = SamplerOptions.Greedy, StopAtEndOfGeneration = false });
        Assert.Equal(reference.Tokens, alone);
    }

    [Fact]
    public async Task A_repeated_prompt_reuses_the_slot_and_a_longer_prefix_is_copied_from_another_slot()
    {
        using var scheduler = new BatchScheduler(_model, new BatchSchedulerOptions { Parallel = 2, ContextLength = 256, Threads = 1 });
        var system = Tokens(string.Join(' ', Enumerable.Repeat("shared system prompt words", 8)));
        var first = await scheduler.TrySubmit(Greedy([.. system, .. Tokens(" question one")], 3))!.Completion;
        Assert.Equal(0, first.CachedPromptTokens);
        // Hold the slot with the prefix busy, so the next request lands in the other slot and must copy the rows.
        var holder = scheduler.TrySubmit(Greedy([.. system, .. Tokens(" question two")], 50))!;
        await holder.Chunks.ReadAsync();
        var third = await scheduler.TrySubmit(Greedy([.. system, .. Tokens(" question three")], 3))!.Completion;
        Assert.True(third.CachedPromptTokens >= system.Length - 1, $"cached {third.CachedPromptTokens} of a {system.Length}-token prefix");
        await holder.Completion;
        using var fresh = new BatchScheduler(_model, new BatchSchedulerOptions { Parallel = 2, ContextLength = 256, Threads = 1 });
        var uncached = await fresh.TrySubmit(Greedy([.. system, .. Tokens(" question three")], 3))!.Completion;
        Assert.Equal(uncached.Tokens, third.Tokens);
    }

    [Fact]
    public async Task Cancelling_frees_the_slot_and_a_full_queue_refuses()
    {
        using var scheduler = new BatchScheduler(_model, new BatchSchedulerOptions { Parallel = 1, ContextLength = 512, MaxQueue = 0, Threads = 1 });
        using var cts = new CancellationTokenSource();
        var running = scheduler.TrySubmit(Greedy(Tokens("go on"), 400), cts.Token)!;
        await running.Chunks.ReadAsync();
        Assert.Null(scheduler.TrySubmit(Greedy(Tokens("me too"), 2)));
        cts.Cancel();
        Assert.Equal(StopReason.Cancelled, (await running.Completion).StopReason);
        Assert.Equal(0, scheduler.Snapshot().BusySlots);
        Assert.NotNull(scheduler.TrySubmit(Greedy(Tokens("me too"), 2)));
    }

    [Fact]
    public async Task Extensions_ai_clients_generate_and_embed()
    {
        using var scheduler = new BatchScheduler(_model, new BatchSchedulerOptions { Parallel = 2, ContextLength = 256, Threads = 1 });
        IChatClient chat = new EdgeLmChatClient(scheduler);
        var options = new ChatOptions { Temperature = 0, MaxOutputTokens = 6 };
        var response = await chat.GetResponseAsync([new Microsoft.Extensions.AI.ChatMessage(ChatRole.User, "Hi")], options);
        Assert.Equal(6, response.Usage!.OutputTokenCount);
        var streamed = new System.Text.StringBuilder();
        await foreach (var update in chat.GetStreamingResponseAsync([new Microsoft.Extensions.AI.ChatMessage(ChatRole.User, "Hi")], options))
            streamed.Append(update.Text);
        Assert.Equal(response.Text, streamed.ToString());
        IEmbeddingGenerator<string, Embedding<float>> embedder = new EdgeLmEmbeddingGenerator(scheduler);
        var vectors = await embedder.GenerateAsync(["a b c", "a b c", "zzz"]);
        Assert.Equal(vectors[0].Vector.ToArray(), vectors[1].Vector.ToArray());
        Assert.NotEqual(vectors[0].Vector.ToArray(), vectors[2].Vector.ToArray());
        Assert.Equal(1.0, Math.Sqrt(vectors[0].Vector.ToArray().Sum(x => (double)x * x)), 4);
    }

    public void Dispose() => _model.Dispose();
}
