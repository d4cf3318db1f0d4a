namespace EdgeLM.Inference.Scheduling;

/// <summary>One KV-cache slot: the tokens whose keys and values it holds (kept after its sequence ends, for prefix reuse).</summary>
internal sealed class SlotState
{
    private readonly List<int> _tokens = new();
    private volatile int _count;

    public bool Busy { get; set; }

    public long LastUsed { get; set; }

    /// <summary>Read from other threads for metrics, so kept in a volatile field.</summary>
    public int Count => _count;

    public IReadOnlyList<int> Tokens => _tokens;

    public void Append(int token)
    {
        _tokens.Add(token);
        _count = _tokens.Count;
    }

    public void Truncate(int count)
    {
        if (count < _tokens.Count)
            _tokens.RemoveRange(count, _tokens.Count - count);
        _count = _tokens.Count;
    }

    public void SetPrefix(ReadOnlySpan<int> tokens)
    {
        _tokens.Clear();
        foreach (int t in tokens)
            _tokens.Add(t);
        _count = _tokens.Count;
    }

    public int CommonPrefix(ReadOnlySpan<int> prompt)
    {
        int n = Math.Min(_tokens.Count, prompt.Length), i = 0;
        while (i < n && _tokens[i] == prompt[i])
            i++;
        return i;
    }
}
