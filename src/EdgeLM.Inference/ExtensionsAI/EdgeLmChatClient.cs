using System.Runtime.CompilerServices;
using EdgeLM.Inference.Chat;
using EdgeLM.Inference.Sampling;
using EdgeLM.Inference.Scheduling;
using Microsoft.Extensions.AI;
using TemplateMessage = EdgeLM.Templates.ChatMessage;

namespace EdgeLM.Inference.ExtensionsAI;

/// <summary>
/// <see cref="IChatClient"/> over a <see cref="BatchScheduler"/>: the same engine the server uses, in process.
/// Messages are rendered with the model's chat template; several concurrent calls share the batch.
/// </summary>
public sealed class EdgeLmChatClient(BatchScheduler scheduler, string? modelId = null) : IChatClient
{
    private readonly ChatClientMetadata _metadata = new("edgelm", null, modelId ?? scheduler.Model.Name);

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var handle = Submit(messages, options, cancellationToken);
        await foreach (var _ in handle.Chunks.ReadAllAsync(cancellationToken))
        {
        }
        var result = await handle.Completion;
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, result.Text))
        {
            ModelId = _metadata.DefaultModelId,
            FinishReason = Finish(result.StopReason),
            Usage = new UsageDetails { InputTokenCount = result.PromptTokens, OutputTokenCount = result.Tokens.Length, TotalTokenCount = result.PromptTokens + result.Tokens.Length },
        };
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var handle = Submit(messages, options, cancellationToken);
        await foreach (var chunk in handle.Chunks.ReadAllAsync(cancellationToken))
        {
            if (chunk.Text.Length > 0)
                yield return new ChatResponseUpdate(ChatRole.Assistant, chunk.Text) { ModelId = _metadata.DefaultModelId };
        }
        var result = await handle.Completion;
        yield return new ChatResponseUpdate { Role = ChatRole.Assistant, FinishReason = Finish(result.StopReason), ModelId = _metadata.DefaultModelId };
    }

    private SequenceHandle Submit(IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellation)
    {
        var model = scheduler.Model;
        var tk = model.Tokenizer;
        var rendered = ChatSession.TemplateFor(model).Apply(
            messages.Select(m => new TemplateMessage(m.Role.Value, m.Text)).ToList(), addGenerationPrompt: true,
            tk.BosId is { } b ? tk.TokenText(b) : null, tk.EosId is { } e ? tk.TokenText(e) : null);
        var prompt = PromptEncoding.Encode(tk, rendered, parseSpecial: true);
        var defaults = new SamplerOptions();
        var sampler = new SamplerOptions
        {
            Temperature = options?.Temperature ?? defaults.Temperature,
            TopP = options?.TopP ?? defaults.TopP,
            TopK = options?.TopK ?? defaults.TopK,
            FrequencyPenalty = options?.FrequencyPenalty ?? 0,
            PresencePenalty = options?.PresencePenalty ?? 0,
            Seed = options?.Seed is long seed ? unchecked((int)seed) : null,
        };
        int room = scheduler.ContextLength - prompt.Length;
        var request = new SequenceRequest
        {
            Prompt = prompt,
            Generation = new GenerationOptions
            {
                MaxTokens = Math.Min(options?.MaxOutputTokens ?? room, room),
                Sampler = sampler,
                StopStrings = options?.StopSequences?.ToArray() ?? [],
            },
            JsonObject = options?.ResponseFormat is ChatResponseFormatJson,
        };
        return scheduler.TrySubmit(request, cancellation)
            ?? throw new InvalidOperationException("the scheduler's queue is full; retry later");
    }

    private static ChatFinishReason Finish(StopReason reason) =>
        reason is StopReason.Length or StopReason.ContextFull ? ChatFinishReason.Length : ChatFinishReason.Stop;

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(ChatClientMetadata) ? _metadata
        : serviceType == typeof(BatchScheduler) ? scheduler
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
    }
}
