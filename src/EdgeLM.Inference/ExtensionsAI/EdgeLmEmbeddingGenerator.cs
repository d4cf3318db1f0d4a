using EdgeLM.Inference.Scheduling;
using Microsoft.Extensions.AI;

namespace EdgeLM.Inference.ExtensionsAI;

/// <summary>
/// <see cref="IEmbeddingGenerator{TInput,TEmbedding}"/> over a <see cref="BatchScheduler"/>: the mean of the final
/// hidden states, L2-normalized (the same vectors as the server's /v1/embeddings).
/// </summary>
public sealed class EdgeLmEmbeddingGenerator(BatchScheduler scheduler, string? modelId = null) : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly EmbeddingGeneratorMetadata _metadata = new("edgelm", null, modelId ?? scheduler.Model.Name,
        scheduler.Model.Hyperparameters.EmbeddingLength);

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var result = new GeneratedEmbeddings<Embedding<float>>();
        int tokens = 0;
        foreach (var text in values)
        {
            var ids = PromptEncoding.Encode(scheduler.Model.Tokenizer, text, parseSpecial: false);
            tokens += ids.Length;
            var vector = await scheduler.EmbedAsync(ids, cancellationToken);
            result.Add(new Embedding<float>(vector) { ModelId = _metadata.DefaultModelId, CreatedAt = DateTimeOffset.UtcNow });
        }
        result.Usage = new UsageDetails { InputTokenCount = tokens, TotalTokenCount = tokens };
        return result;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
    }
}
