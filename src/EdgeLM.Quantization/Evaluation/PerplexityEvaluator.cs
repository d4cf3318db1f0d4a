using EdgeLM.Inference;

namespace EdgeLM.Quantization.Evaluation;

/// <summary>
/// Perplexity with llama-perplexity's convention (text/README.md): the tokens (BOS first) are cut into
/// floor(N / n_ctx) chunks of n_ctx; each chunk is evaluated alone from an empty cache with its first token replaced
/// by BOS; only the second half is scored: logits at positions n_ctx/2 .. n_ctx−2 predict the tokens after them.
/// With a base model, both run on the same chunks and the KL statistics are gathered at the same positions.
/// </summary>
public static class PerplexityEvaluator
{
    public static PerplexityResult Evaluate(Model model, ReadOnlySpan<int> tokens, PerplexityOptions? options = null, Model? klBase = null,
        IProgress<PerplexityProgress>? progress = null)
    {
        options ??= new PerplexityOptions();
        int ctx = options.ContextLength;
        if (ctx < 4)
        {
            throw new ArgumentException($"context length must be at least 4 tokens, got {ctx}");
        }
        int chunks = tokens.Length / ctx;
        if (chunks == 0)
        {
            throw new ArgumentException($"the text is {tokens.Length} tokens long, shorter than one chunk of {ctx} (use a longer text or a smaller -c)");
        }
        if (options.MaxChunks > 0)
        {
            chunks = Math.Min(chunks, options.MaxChunks);
        }
        int vocab = model.Hyperparameters.VocabSize;
        if (klBase is not null && klBase.Hyperparameters.VocabSize != vocab)
        {
            throw new ArgumentException($"the KL base model has {klBase.Hyperparameters.VocabSize} tokens, the model {vocab}: they must share a vocabulary");
        }
        var tokenizer = model.Tokenizer;
        int? bos = tokenizer.AddBos ? tokenizer.BosId : null;
        var sessionOptions = new SessionOptions
        {
            ContextLength = ctx,
            KvCacheType = options.KvCacheType,
            Threads = options.Threads,
            BatchSize = ctx,
        };
        using var session = new InferenceSession(model, sessionOptions);
        using var baseSession = klBase is null ? null : new InferenceSession(klBase, sessionOptions);
        var logits = new float[(long)ctx * vocab];
        var baseLogits = klBase is null ? null : new float[(long)ctx * vocab];
        var kl = klBase is null ? null : new KlDivergenceAccumulator(vocab);
        var chunk = new int[ctx];
        double sum = 0, sum2 = 0;
        int scored = 0;
        int first = ctx / 2;
        for (int c = 0; c < chunks; c++)
        {
            tokens.Slice(c * ctx, ctx).CopyTo(chunk);
            if (bos is int b)
            {
                chunk[0] = b;
            }
            session.Reset();
            session.EvaluateAll(chunk, logits);
            if (baseSession is not null)
            {
                baseSession.Reset();
                baseSession.EvaluateAll(chunk, baseLogits);
            }
            for (int pos = first; pos < ctx - 1; pos++)
            {
                int next = tokens[c * ctx + pos + 1];
                var row = logits.AsSpan(pos * vocab, vocab);
                double nll = LogProbabilities.NegativeLogLikelihood(row, next);
                sum += nll;
                sum2 += nll * nll;
                scored++;
                kl?.Add(baseLogits.AsSpan(pos * vocab, vocab), row, next);
            }
            progress?.Report(new PerplexityProgress(c + 1, chunks, sum / scored));
        }
        double mean = sum / scored;
        double variance = sum2 / scored - mean * mean;
        double uncertainty = scored > 1 ? Math.Sqrt(Math.Max(variance, 0) / (scored - 1)) : 0;
        return new PerplexityResult(Math.Exp(mean), mean, uncertainty, chunks, scored, kl?.Result());
    }
}
