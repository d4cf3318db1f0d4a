using EdgeLM.Inference;

namespace EdgeLM.Quantization.Imatrix;

/// <summary>
/// Computes an importance matrix over calibration text the way llama-imatrix does: the text is tokenized once
/// (with BOS), cut into chunks of <c>chunkSize</c> tokens, each chunk evaluated from an empty cache with its first
/// token replaced by BOS, and every matmul input accumulated.
/// </summary>
public static class ImatrixBuilder
{
    public static ImportanceMatrix Build(Model model, string text, string datasetName, int chunkSize, int maxChunks, int threads,
        bool includeOutput = false, IProgress<(int Done, int Total)>? progress = null)
    {
        if (chunkSize < 2)
            throw new ArgumentException($"chunk size must be at least 2, got {chunkSize}");
        var tokens = model.Tokenizer.Encode(text, addSpecial: true);
        int chunks = tokens.Length / chunkSize;
        if (maxChunks > 0)
            chunks = Math.Min(chunks, maxChunks);
        if (chunks == 0)
            throw new ArgumentException($"the calibration text has {tokens.Length} tokens, fewer than one chunk of {chunkSize}; give more text or a smaller -c");
        ImatrixCollector? collector = null;
        using var session = new InferenceSession(model, new SessionOptions
        {
            ContextLength = chunkSize,
            Threads = threads,
            KvCacheType = KvCacheType.F16,
            LinearDecorator = inner => collector = new ImatrixCollector(inner, includeOutput ? null : model.Output),
        });
        var chunk = new int[chunkSize];
        for (int c = 0; c < chunks; c++)
        {
            tokens.AsSpan(c * chunkSize, chunkSize).CopyTo(chunk);
            if (model.Tokenizer.BosId is { } bos)
                chunk[0] = bos;
            session.Reset();
            session.Prefill(chunk);
            progress?.Report((c + 1, chunks));
        }
        var matrix = new ImportanceMatrix([datasetName], chunks, chunkSize);
        collector!.CopyTo(matrix);
        return matrix;
    }
}
