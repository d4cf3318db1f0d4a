namespace EdgeLM.Inference.Sampling;

/// <summary>
/// Picks the next token from logits in llama.cpp's default chain order: penalties → top-k → top-p → min-p →
/// temperature → draw. Reuses its candidate buffers; the same seed and inputs give the same tokens.
/// </summary>
public sealed class Sampler
{
    private readonly SamplerOptions _options;
    private readonly Random _random;
    private readonly List<int> _history = new();
    private int[] _ids = Array.Empty<int>();
    private float[] _values = Array.Empty<float>();
    private readonly Dictionary<int, int> _counts = new();

    public Sampler(SamplerOptions options)
    {
        options.Validate();
        _options = options;
        _random = new Random(options.Seed ?? Environment.TickCount);
    }

    public SamplerOptions Options => _options;

    /// <summary>Adds tokens (prompt or generated) to the history the penalties look at.</summary>
    public void Accept(int token) => _history.Add(token);

    public void Accept(IEnumerable<int> tokens) => _history.AddRange(tokens);

    /// <summary>Chooses a token. <paramref name="logits"/> is not modified.</summary>
    public int Sample(ReadOnlySpan<float> logits)
    {
        int n = logits.Length;
        if (_ids.Length < n)
        {
            _ids = new int[n];
            _values = new float[n];
        }
        var ids = _ids.AsSpan(0, n);
        var values = _values.AsSpan(0, n);
        for (int i = 0; i < n; i++)
        {
            ids[i] = i;
            values[i] = logits[i];
        }
        ApplyPenalties(values);
        if (_options.IsGreedy)
            return ArgMax(values);

        // Sort candidates by logit, best first (stable on id for reproducibility).
        values.Sort(ids, Comparer<float>.Create((a, b) => b.CompareTo(a)));
        int count = n;
        if (_options.TopK > 0)
            count = Math.Min(count, _options.TopK);
        count = TopP(values[..count]);
        count = MinP(values[..count]);
        var kept = values[..count];
        float invT = 1f / _options.Temperature;
        double max = kept[0] * invT;
        double total = 0;
        Span<double> probs = count <= 4096 ? stackalloc double[count] : new double[count];
        for (int i = 0; i < count; i++)
        {
            probs[i] = Math.Exp(kept[i] * invT - max);
            total += probs[i];
        }
        double r = _random.NextDouble() * total;
        for (int i = 0; i < count; i++)
        {
            r -= probs[i];
            if (r < 0)
                return ids[i];
        }
        return ids[count - 1];
    }

    private void ApplyPenalties(Span<float> values)
    {
        var o = _options;
        if (o.PenaltyWindow == 0 || (o.RepeatPenalty == 1f && o.FrequencyPenalty == 0f && o.PresencePenalty == 0f))
            return;
        _counts.Clear();
        for (int i = Math.Max(0, _history.Count - o.PenaltyWindow); i < _history.Count; i++)
            _counts[_history[i]] = _counts.GetValueOrDefault(_history[i]) + 1;
        foreach (var (token, c) in _counts)
        {
            if ((uint)token >= (uint)values.Length)
                continue;
            float v = values[token];
            v = v > 0 ? v / o.RepeatPenalty : v * o.RepeatPenalty;
            v -= c * o.FrequencyPenalty + o.PresencePenalty;
            values[token] = v;
        }
    }

    /// <summary>Keeps the smallest prefix whose probability mass reaches top-p (at least one token).</summary>
    private int TopP(ReadOnlySpan<float> sorted)
    {
        if (_options.TopP >= 1f)
            return sorted.Length;
        double max = sorted[0], total = 0;
        for (int i = 0; i < sorted.Length; i++)
            total += Math.Exp(sorted[i] - max);
        double cum = 0;
        for (int i = 0; i < sorted.Length; i++)
        {
            cum += Math.Exp(sorted[i] - max) / total;
            if (cum >= _options.TopP)
                return i + 1;
        }
        return sorted.Length;
    }

    /// <summary>Keeps tokens whose probability is at least min-p times the best one's.</summary>
    private int MinP(ReadOnlySpan<float> sorted)
    {
        if (_options.MinP <= 0f)
            return sorted.Length;
        float threshold = sorted[0] + MathF.Log(_options.MinP);
        int count = 1;
        while (count < sorted.Length && sorted[count] >= threshold)
            count++;
        return count;
    }

    public static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
            if (values[i] > values[best])
                best = i;
        return best;
    }
}
