using System.Runtime.InteropServices;
using EdgeLM.Kernels.Formats;
using EdgeLM.Kernels.Threading;

namespace EdgeLM.Inference.Compute;

/// <summary>
/// The transformer forward pass over a batch of tokens, each with its own position and KV-cache slot
/// (several sequences can share one batch: continuous batching). Reads like the model card:
/// embed → per block (norm, q/k/v, q/k norm, RoPE, cache, attention, output, norm, SwiGLU FFN) → norm → logits.
/// Scratch buffers are sized once for <see cref="MaxBatch"/> tokens; nothing is allocated per call.
/// </summary>
public sealed unsafe class ForwardPass : IDisposable
{
    private readonly Model _model;
    private readonly ILinear _linear;
    private readonly Rope _rope;
    private readonly int _maxBatch;
    private readonly int _contextLength;
    private readonly List<nint> _allocations = new();
    private readonly float* _x, _h, _q, _k, _v, _attn, _gate, _up, _ffn;
    private readonly float[] _cos, _sin;
    private readonly WorkerPool? _pool;
    private readonly Attention.Job* _attention;
    private readonly byte** _keyBase, _valueBase;
    private readonly int* _positions;

    public ForwardPass(Model model, KvCache cache, ILinear linear, int maxBatch, WorkerPool? pool = null)
    {
        _pool = pool;
        _model = model;
        Cache = cache;
        _linear = linear;
        _maxBatch = maxBatch;
        _contextLength = cache.ContextLength;
        var hp = model.Hyperparameters;
        _rope = new Rope(hp.RopeDimensions, hp.RopeFreqBase, hp.RopeFreqScale, model.RopeFreqFactors, model.Architecture.Rope);
        int b = maxBatch;
        int wide = Math.Max(hp.EmbeddingLength, hp.QueryDim);
        _x = Alloc(b * hp.EmbeddingLength);
        _h = Alloc(b * wide);
        _q = Alloc(b * hp.QueryDim);
        _k = Alloc(b * hp.KvDim);
        _v = Alloc(b * hp.KvDim);
        _attn = Alloc(b * hp.QueryDim);
        _gate = Alloc(b * hp.FeedForwardLength);
        _up = Alloc(b * hp.FeedForwardLength);
        _ffn = Alloc(b * Math.Max(hp.FeedForwardLength, hp.EmbeddingLength));
        _attention = (Attention.Job*)Alloc((sizeof(Attention.Job) + 3) / 4);
        _keyBase = (byte**)Alloc(b * 2);
        _valueBase = (byte**)Alloc(b * 2);
        _positions = (int*)Alloc(b);
        _cos = new float[hp.RopeDimensions / 2];
        _sin = new float[hp.RopeDimensions / 2];
    }

    public KvCache Cache { get; }

    public int MaxBatch => _maxBatch;

    public Model Model => _model;

    private float* Alloc(int floats)
    {
        var p = (float*)NativeMemory.AlignedAlloc((nuint)Math.Max(1, floats) * sizeof(float), 64);
        _allocations.Add((nint)p);
        return p;
    }

    /// <summary>
    /// Runs <paramref name="tokens"/> (at most <see cref="MaxBatch"/>) through the model, storing their keys and
    /// values in the cache at (slot, position), and writes the logits of the tokens listed in
    /// <paramref name="logitRows"/> (indices into the batch) to <paramref name="logits"/>, one row of vocab size each.
    /// </summary>
    public void Run(ReadOnlySpan<int> tokens, ReadOnlySpan<int> positions, ReadOnlySpan<int> slots,
        ReadOnlySpan<int> logitRows, Span<float> logits)
    {
        int n = tokens.Length;
        var hp = _model.Hyperparameters;
        int e = hp.EmbeddingLength, qd = hp.QueryDim, kvd = hp.KvDim, ff = hp.FeedForwardLength, hd = hp.KeyLength;
        if (n == 0 || n > _maxBatch)
            throw new ArgumentOutOfRangeException(nameof(tokens), $"batch of {n} tokens (1..{_maxBatch} allowed)");
        if (positions.Length != n || slots.Length != n)
            throw new ArgumentException("tokens, positions and slots must have the same length");
        if (logits.Length < logitRows.Length * hp.VocabSize)
            throw new ArgumentException("logits buffer too small", nameof(logits));
        for (int t = 0; t < n; t++)
        {
            if ((uint)tokens[t] >= (uint)hp.VocabSize)
                throw new ArgumentOutOfRangeException(nameof(tokens), $"token id {tokens[t]} is outside the vocabulary (0..{hp.VocabSize - 1})");
            if ((uint)positions[t] >= (uint)_contextLength)
                throw new ArgumentOutOfRangeException(nameof(positions), $"position {positions[t]} is outside the context of {_contextLength}");
            if ((uint)slots[t] >= (uint)Cache.Slots)
                throw new ArgumentOutOfRangeException(nameof(slots), $"slot {slots[t]} does not exist");
        }

        var emb = _model.TokenEmbeddings;
        for (int t = 0; t < n; t++)
            TensorFormats.Dequantize(emb.Type, emb.Row(tokens[t]), new Span<float>(_x + t * e, e));

        for (int l = 0; l < _model.Layers.Count; l++)
        {
            var w = _model.Layers[l];
            for (int t = 0; t < n; t++)
                VectorOps.RmsNorm(_x + t * e, w.AttnNorm, _h + t * e, e, hp.RmsEpsilon);
            _linear.Apply(w.Wq, _h, n, _q);
            _linear.Apply(w.Wk, _h, n, _k);
            _linear.Apply(w.Wv, _h, n, _v);
            for (int t = 0; t < n; t++)
            {
                float* q = _q + t * qd, k = _k + t * kvd, v = _v + t * kvd;
                if (w.Bq is not null) VectorOps.AddBias(q, w.Bq, qd);
                if (w.Bk is not null) VectorOps.AddBias(k, w.Bk, kvd);
                if (w.Bv is not null) VectorOps.AddBias(v, w.Bv, kvd);
                if (w.QNorm is not null)
                    for (int h = 0; h < hp.HeadCount; h++)
                        VectorOps.RmsNorm(q + h * hd, w.QNorm, q + h * hd, hd, hp.RmsEpsilon);
                if (w.KNorm is not null)
                    for (int h = 0; h < hp.HeadCountKv; h++)
                        VectorOps.RmsNorm(k + h * hd, w.KNorm, k + h * hd, hd, hp.RmsEpsilon);
                _rope.Tables(positions[t], _cos, _sin);
                _rope.Apply(q, hp.HeadCount, hd, _cos, _sin);
                _rope.Apply(k, hp.HeadCountKv, hd, _cos, _sin);
                Attention.Store(Cache, l, slots[t], positions[t], k, v);
            }
            for (int t = 0; t < n; t++)
            {
                _keyBase[t] = Cache.Key(l, slots[t], 0);
                _valueBase[t] = Cache.Value(l, slots[t], 0);
                _positions[t] = positions[t];
            }
            *_attention = new Attention.Job
            {
                Q = _q, Output = _attn, KeyBase = _keyBase, ValueBase = _valueBase, Positions = _positions,
                Heads = hp.HeadCount, HeadsKv = hp.HeadCountKv, HeadDim = hd, RowBytes = Cache.KvDim * Cache.ElementBytes,
                F16 = Cache.Type == KvCacheType.F16 ? 1 : 0,
            };
            Attention.Run(_attention, n, _pool);
            _linear.Apply(w.Wo, _attn, n, _h);
            VectorOps.Add(_x, _h, n * e);

            for (int t = 0; t < n; t++)
                VectorOps.RmsNorm(_x + t * e, w.FfnNorm, _h + t * e, e, hp.RmsEpsilon);
            _linear.Apply(w.Gate, _h, n, _gate);
            _linear.Apply(w.Up, _h, n, _up);
            VectorOps.SwiGlu(_gate, _up, _ffn, n * ff);
            _linear.Apply(w.Down, _ffn, n, _h);
            VectorOps.Add(_x, _h, n * e);
        }

        for (int i = 0; i < logitRows.Length; i++)
            VectorOps.RmsNorm(_x + logitRows[i] * e, _model.OutputNorm, _h + i * e, e, hp.RmsEpsilon);
        if (logitRows.Length > 0)
            fixed (float* lp = logits)
                _linear.Apply(_model.Output, _h, logitRows.Length, lp);
    }

    public void Dispose()
    {
        foreach (var p in _allocations)
            NativeMemory.AlignedFree((void*)p);
        _allocations.Clear();
    }
}
