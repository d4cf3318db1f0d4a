using System.Collections.Concurrent;
using EdgeLM.Inference.Compute;
using EdgeLM.Kernels.Threading;

namespace EdgeLM.Inference.Scheduling;

/// <summary>
/// Continuous batching over one model: a single loop thread owns the forward pass and a KV cache with one slot
/// per concurrent sequence. Every step is one <see cref="ForwardPass.Run"/> over all running sequences: each
/// decoding sequence contributes its next token, prefilling sequences a chunk of their prompt (at most
/// <see cref="BatchSchedulerOptions.StepTokens"/> prompt tokens per step). Requests join and leave between
/// steps. A free slot keeps the tokens it holds, and a new request takes the free slot sharing the longest
/// prefix with its prompt (rows are copied from another slot when that one shares more), so a repeated system
/// prompt is computed once. Each token's row is computed independently of the others in the batch, so a greedy
/// sequence's output does not depend on what it is batched with.
/// </summary>
public sealed partial class BatchScheduler : IDisposable
{
    private readonly BatchSchedulerOptions _options;
    private readonly KvCache _cache;
    private readonly WorkerPool _pool;
    private readonly QuantizedLinear _quantized;
    private readonly CapturingLinear _linear;
    private readonly ForwardPass _pass;
    private readonly Thread _thread;
    private readonly SemaphoreSlim _signal = new(0);
    private readonly ConcurrentQueue<Sequence> _incoming = new();
    private readonly ConcurrentQueue<EmbeddingJob> _embeddings = new();
    private readonly List<Sequence> _waiting = new();
    private readonly List<Sequence> _active = new();
    private readonly SlotState[] _slots;
    private readonly int _vocab;
    private readonly int[] _tokens, _positions, _slotOfToken, _rows;
    private readonly float[] _logits;
    private int _queued;
    private long _useClock, _steps;
    private volatile bool _stopping;

    public BatchScheduler(Model model, BatchSchedulerOptions? options = null)
    {
        _options = options ?? new BatchSchedulerOptions();
        _options.Validate();
        Model = model;
        var hp = model.Hyperparameters;
        ContextLength = _options.ResolveContext(model);
        _vocab = hp.VocabSize;
        // One slot more than requested: the last one is reserved for embedding requests.
        _cache = new KvCache(hp.BlockCount, _options.Parallel + 1, ContextLength, hp.KvDim, _options.KvCacheType);
        _pool = new WorkerPool(_options.Threads > 0 ? _options.Threads : Environment.ProcessorCount);
        _quantized = new QuantizedLinear(_pool);
        _linear = new CapturingLinear(_quantized, model.Output);
        int maxBatch = Math.Min(_options.StepTokens, ContextLength) + _options.Parallel;
        _pass = new ForwardPass(model, _cache, _linear, maxBatch);
        _tokens = new int[maxBatch];
        _positions = new int[maxBatch];
        _slotOfToken = new int[maxBatch];
        _rows = new int[Math.Max(_options.Parallel, EmbeddingChunk)];
        _logits = new float[(long)_rows.Length * _vocab <= int.MaxValue ? _rows.Length * _vocab : throw new ArgumentException("vocabulary too large")];
        _slots = new SlotState[_options.Parallel];
        for (int i = 0; i < _slots.Length; i++)
            _slots[i] = new SlotState();
        _thread = new Thread(Loop) { IsBackground = true, Name = "edgelm-scheduler" };
        _thread.Start();
    }

    private const int EmbeddingChunk = 16;

    public Model Model { get; }

    public int ContextLength { get; }

    public int Parallel => _options.Parallel;

    public BatchSchedulerOptions Options => _options;

    /// <summary>
    /// Queues a sequence. Returns null when the queue is full (the caller should ask the client to retry later).
    /// Cancelling <paramref name="cancellation"/> ends the sequence at the next step and frees its slot.
    /// </summary>
    public SequenceHandle? TrySubmit(SequenceRequest request, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ObjectDisposedException.ThrowIf(_stopping, this);
        if (request.Prompt.Length == 0)
            throw new ArgumentException("the prompt is empty");
        if (request.Prompt.Length >= ContextLength)
            throw new ContextOverflowException(request.Prompt.Length + 1, ContextLength);
        foreach (int t in request.Prompt)
            if ((uint)t >= (uint)_vocab)
                throw new ArgumentException($"token id {t} is outside the vocabulary (0..{_vocab - 1})");
        if (Interlocked.Increment(ref _queued) > _options.MaxQueue + FreeSlotEstimate())
        {
            Interlocked.Decrement(ref _queued);
            return null;
        }
        var seq = new Sequence(request, Model.Tokenizer, cancellation);
        if (cancellation.CanBeCanceled)
            cancellation.Register(() => _signal.Release());
        _incoming.Enqueue(seq);
        _signal.Release();
        return new SequenceHandle(seq.Output.Reader, seq.Completion.Task);
    }

    private int FreeSlotEstimate()
    {
        int free = 0;
        foreach (var s in _slots)
            if (!s.Busy) free++;
        return free;
    }

    public SchedulerSnapshot Snapshot()
    {
        long cached = 0, busy = 0;
        foreach (var s in _slots)
        {
            cached += s.Count;
            if (s.Busy) busy++;
        }
        return new SchedulerSnapshot(_slots.Length, (int)busy, Volatile.Read(ref _queued), cached,
            (long)_slots.Length * ContextLength, Interlocked.Read(ref _steps));
    }

    private void Loop()
    {
        while (!_stopping)
        {
            try
            {
                Admit();
                DropCancelled();
                if (_embeddings.TryDequeue(out var job))
                    RunEmbedding(job);
                if (_active.Count == 0)
                {
                    if (_incoming.IsEmpty && _embeddings.IsEmpty)
                        _signal.Wait(TimeSpan.FromSeconds(1));
                    continue;
                }
                Step();
            }
            catch (Exception e)
            {
                // A failed step leaves the caches of the sequences in it undefined: end them with the error.
                foreach (var seq in _active.ToArray())
                    Fail(seq, e);
            }
        }
        var disposed = new ObjectDisposedException(nameof(BatchScheduler));
        foreach (var seq in _active.ToArray())
            Fail(seq, disposed);
        while (_incoming.TryDequeue(out var seq))
            _waiting.Add(seq);
        foreach (var seq in _waiting)
            seq.Completion.TrySetException(disposed);
        while (_embeddings.TryDequeue(out var job))
            job.Result.TrySetException(disposed);
    }

    private void Step()
    {
        int n = 0, rows = 0;
        foreach (var seq in _active)
        {
            seq.LogitRow = -1;
            if (seq.Pending < 0)
                continue;
            var slot = _slots[seq.Slot];
            Add(ref n, seq.Pending, slot.Count, seq.Slot);
            slot.Append(seq.Pending);
            seq.LogitRow = rows;
            _rows[rows++] = n - 1;
        }
        int budget = Math.Min(_options.StepTokens, _tokens.Length - n);
        foreach (var seq in _active)
        {
            if (seq.Pending >= 0 || budget == 0)
                continue;
            var slot = _slots[seq.Slot];
            var prompt = seq.Request.Prompt;
            int take = Math.Min(budget, prompt.Length - slot.Count);
            for (int i = 0; i < take; i++)
            {
                Add(ref n, prompt[slot.Count], slot.Count, seq.Slot);
                slot.Append(prompt[slot.Count]);
            }
            budget -= take;
            if (slot.Count == prompt.Length)
            {
                seq.LogitRow = rows;
                _rows[rows++] = n - 1;
            }
        }
        _pass.Run(_tokens.AsSpan(0, n), _positions.AsSpan(0, n), _slotOfToken.AsSpan(0, n), _rows.AsSpan(0, rows),
            _logits.AsSpan(0, rows * _vocab));
        Interlocked.Increment(ref _steps);
        foreach (var seq in _active.ToArray())
            if (seq.LogitRow >= 0)
                OnLogits(seq, _logits.AsSpan(seq.LogitRow * _vocab, _vocab));
    }

    private void Add(ref int n, int token, int position, int slot)
    {
        _tokens[n] = token;
        _positions[n] = position;
        _slotOfToken[n] = slot;
        n++;
    }

    public void Dispose()
    {
        if (_stopping)
            return;
        _stopping = true;
        _signal.Release();
        _thread.Join();
        _pass.Dispose();
        _cache.Dispose();
        _quantized.Dispose();
        _pool.Dispose();
    }
}
