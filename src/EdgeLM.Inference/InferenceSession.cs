using EdgeLM.Inference.Compute;
using EdgeLM.Kernels.Threading;

namespace EdgeLM.Inference;

/// <summary>
/// One conversation with a model: a KV cache, the tokens it holds, and the forward pass. Prompts that share a
/// prefix with what the cache already holds only process the new tokens (prompt caching across turns).
/// </summary>
public sealed class InferenceSession : IDisposable
{
    private readonly ForwardPass _pass;
    private readonly KvCache _cache;
    private readonly WorkerPool? _pool;
    private readonly IDisposable? _linearOwner;
    private readonly List<int> _tokens = new();
    private readonly float[] _lastLogits;
    private int[] _positions;
    private int[] _slots;

    public InferenceSession(Model model, SessionOptions? options = null)
    {
        Options = options ?? new SessionOptions();
        Model = model;
        ContextLength = Options.ResolveContext(model);
        var hp = model.Hyperparameters;
        int batch = Math.Clamp(Options.BatchSize, 1, ContextLength);
        _cache = new KvCache(hp.BlockCount, 1, ContextLength, hp.KvDim, Options.KvCacheType);
        ILinear linear;
        if (Options.Exact)
            linear = new ExactLinear();
        else
        {
            _pool = new WorkerPool(Options.ResolveThreads());
            var q = new QuantizedLinear(_pool);
            _linearOwner = q;
            linear = q;
        }
        if (Options.LinearDecorator is { } decorate)
            linear = decorate(linear);
        _pass = new ForwardPass(model, _cache, linear, batch, _pool);
        _lastLogits = new float[hp.VocabSize];
        _positions = new int[batch];
        _slots = new int[batch];
    }

    public Model Model { get; }
    public SessionOptions Options { get; }
    public int ContextLength { get; }

    /// <summary>The tokens whose keys and values are in the cache, in order.</summary>
    public IReadOnlyList<int> Tokens => _tokens;

    /// <summary>Logits after the last evaluated token.</summary>
    public ReadOnlySpan<float> LastLogits => _lastLogits;

    /// <summary>How many tokens the last <see cref="Prefill"/> actually ran through the model.</summary>
    public int LastPrefillEvaluated { get; private set; }

    /// <summary>Forgets everything (the cache is overwritten from position 0).</summary>
    public void Reset() => _tokens.Clear();

    /// <summary>Keeps only the first <paramref name="count"/> cached tokens.</summary>
    public void Truncate(int count)
    {
        if (count < _tokens.Count)
            _tokens.RemoveRange(count, _tokens.Count - count);
    }

    /// <summary>
    /// Makes the cache hold exactly <paramref name="prompt"/>: the longest prefix already cached is kept and only the
    /// rest is evaluated, in batches. Afterwards <see cref="LastLogits"/> predicts the token after the prompt.
    /// A prompt that is already fully cached is re-evaluated from its last token so the logits are fresh.
    /// </summary>
    public void Prefill(ReadOnlySpan<int> prompt, IProgress<int>? progress = null)
    {
        if (prompt.Length == 0)
            throw new ArgumentException("the prompt is empty", nameof(prompt));
        CheckFits(prompt.Length);
        int common = 0;
        while (common < _tokens.Count && common < prompt.Length && _tokens[common] == prompt[common])
            common++;
        if (common == prompt.Length)
            common--;
        Truncate(common);
        LastPrefillEvaluated = prompt.Length - common;
        Evaluate(prompt[common..], null, progress);
    }

    /// <summary>Appends one token and computes the logits after it.</summary>
    public void Decode(int token)
    {
        CheckFits(_tokens.Count + 1);
        Evaluate([token], null, null);
    }

    /// <summary>
    /// Appends <paramref name="tokens"/> and writes the logits after every one of them into
    /// <paramref name="allLogits"/> (tokens × vocab), as a teacher-forced scoring run does.
    /// </summary>
    public void EvaluateAll(ReadOnlySpan<int> tokens, Span<float> allLogits)
    {
        CheckFits(_tokens.Count + tokens.Length);
        Evaluate(tokens, allLogits, null);
    }

    private void CheckFits(int total)
    {
        if (total > ContextLength)
            throw new ContextOverflowException(total, ContextLength);
    }

    private void Evaluate(ReadOnlySpan<int> tokens, Span<float> allLogits, IProgress<int>? progress)
    {
        int vocab = Model.Hyperparameters.VocabSize;
        int batch = _pass.MaxBatch;
        Span<int> rows = stackalloc int[1];
        for (int start = 0; start < tokens.Length; start += batch)
        {
            int n = Math.Min(batch, tokens.Length - start);
            var chunk = tokens.Slice(start, n);
            for (int i = 0; i < n; i++)
            {
                _positions[i] = _tokens.Count + i;
                _slots[i] = 0;
            }
            bool last = start + n == tokens.Length;
            if (!allLogits.IsEmpty)
            {
                int[] all = Enumerable.Range(0, n).ToArray();
                _pass.Run(chunk, _positions.AsSpan(0, n), _slots.AsSpan(0, n), all, allLogits.Slice(start * vocab, n * vocab));
                if (last)
                    allLogits.Slice((start + n - 1) * vocab, vocab).CopyTo(_lastLogits);
            }
            else
            {
                rows[0] = n - 1;
                _pass.Run(chunk, _positions.AsSpan(0, n), _slots.AsSpan(0, n), last ? rows : ReadOnlySpan<int>.Empty, _lastLogits);
            }
            foreach (int t in chunk)
                _tokens.Add(t);
            progress?.Report(start + n);
        }
    }

    public void Dispose()
    {
        _pass.Dispose();
        _cache.Dispose();
        _linearOwner?.Dispose();
        _pool?.Dispose();
    }
}

/// <summary>A prompt (plus generation) does not fit the context window.</summary>
public sealed class ContextOverflowException(int needed, int context)
    : Exception($"the input needs {needed} tokens but the context window holds {context} (raise it with -c/--ctx-size)")
{
    public int Needed { get; } = needed;
    public int Context { get; } = context;
}
