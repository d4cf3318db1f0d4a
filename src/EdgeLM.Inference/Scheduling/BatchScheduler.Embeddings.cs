namespace EdgeLM.Inference.Scheduling;

public sealed partial class BatchScheduler
{
    private sealed record EmbeddingJob(int[] Tokens, CancellationToken Cancellation)
    {
        public TaskCompletionSource<float[]> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>
    /// The embedding of <paramref name="tokens"/>: the mean of the final (output-normed) hidden states of all
    /// tokens, L2-normalized. Runs on the loop thread between generation steps, in the slot reserved for it.
    /// </summary>
    public Task<float[]> EmbedAsync(int[] tokens, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ObjectDisposedException.ThrowIf(_stopping, this);
        if (tokens.Length == 0)
            throw new ArgumentException("the input is empty");
        if (tokens.Length > ContextLength)
            throw new ContextOverflowException(tokens.Length, ContextLength);
        foreach (int t in tokens)
            if ((uint)t >= (uint)_vocab)
                throw new ArgumentException($"token id {t} is outside the vocabulary (0..{_vocab - 1})");
        var job = new EmbeddingJob(tokens, cancellation);
        _embeddings.Enqueue(job);
        _signal.Release();
        return job.Result.Task;
    }

    private void RunEmbedding(EmbeddingJob job)
    {
        if (job.Cancellation.IsCancellationRequested)
        {
            job.Result.TrySetCanceled(job.Cancellation);
            return;
        }
        int slot = _options.Parallel;
        var sum = new double[Model.Hyperparameters.EmbeddingLength];
        _linear.PoolingSum = sum;
        try
        {
            int chunk = Math.Min(EmbeddingChunk, _tokens.Length);
            for (int start = 0; start < job.Tokens.Length; start += chunk)
            {
                int n = Math.Min(chunk, job.Tokens.Length - start);
                for (int i = 0; i < n; i++)
                {
                    _tokens[i] = job.Tokens[start + i];
                    _positions[i] = start + i;
                    _slotOfToken[i] = slot;
                    _rows[i] = i;
                }
                _pass.Run(_tokens.AsSpan(0, n), _positions.AsSpan(0, n), _slotOfToken.AsSpan(0, n), _rows.AsSpan(0, n),
                    _logits.AsSpan(0, n * _vocab));
            }
        }
        catch (Exception e)
        {
            job.Result.TrySetException(e);
            return;
        }
        finally
        {
            _linear.PoolingSum = null;
        }
        double norm = 0;
        foreach (double v in sum) norm += v * v;
        norm = Math.Sqrt(norm);
        var vector = new float[sum.Length];
        for (int i = 0; i < sum.Length; i++)
            vector[i] = norm > 0 ? (float)(sum[i] / norm) : 0f;
        job.Result.TrySetResult(vector);
    }
}
