namespace EdgeLM.Gguf;

/// <summary>
/// The key/value metadata of a GGUF file, in file order. Typed accessors throw
/// <see cref="GgufMetadataException"/> naming the key when it is missing or holds another type.
/// </summary>
public sealed class GgufMetadata : IReadOnlyList<KeyValuePair<string, GgufValue>>
{
    private readonly List<KeyValuePair<string, GgufValue>> _entries = new();
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);

    public int Count => _entries.Count;

    public KeyValuePair<string, GgufValue> this[int index] => _entries[index];

    public IEnumerable<string> Keys => _entries.Select(e => e.Key);

    /// <summary>Sets a key (appended at the end when new, replaced in place otherwise).</summary>
    public void Set(string key, GgufValue value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        if (_index.TryGetValue(key, out int i))
            _entries[i] = new(key, value);
        else
        {
            _index[key] = _entries.Count;
            _entries.Add(new(key, value));
        }
    }

    /// <summary>Adds a key that must not exist yet (used by the reader: duplicate keys are a format error).</summary>
    internal bool TryAdd(string key, GgufValue value)
    {
        if (!_index.TryAdd(key, _entries.Count))
            return false;
        _entries.Add(new(key, value));
        return true;
    }

    public bool Remove(string key)
    {
        if (!_index.TryGetValue(key, out int i))
            return false;
        _entries.RemoveAt(i);
        _index.Clear();
        for (int j = 0; j < _entries.Count; j++)
            _index[_entries[j].Key] = j;
        return true;
    }

    public bool Contains(string key) => _index.ContainsKey(key);

    public bool TryGetValue(string key, out GgufValue value)
    {
        if (_index.TryGetValue(key, out int i)) { value = _entries[i].Value; return true; }
        value = null!;
        return false;
    }

    /// <summary>The value of <paramref name="key"/>; throws naming the key when it is missing.</summary>
    public GgufValue Get(string key) =>
        TryGetValue(key, out var v) ? v : throw new GgufMetadataException(key, "missing");

    public string GetString(string key) => Convert(key, v => v.AsString());
    public bool GetBool(string key) => Convert(key, v => v.AsBool());
    public long GetInt64(string key) => Convert(key, v => v.AsInt64());
    public int GetInt32(string key) => Convert(key, v => checked((int)v.AsInt64()));
    public uint GetUInt32(string key) => Convert(key, v => checked((uint)v.AsInt64()));
    public ulong GetUInt64(string key) => Convert(key, v => v.AsUInt64());
    public float GetFloat32(string key) => Convert(key, v => v.AsFloat32());
    public double GetFloat64(string key) => Convert(key, v => v.AsFloat64());
    public string[] GetStringArray(string key) => Convert(key, v => v.AsArray<string>());
    public float[] GetFloat32Array(string key) => Convert(key, v => v.AsArray<float>());
    public int[] GetInt32Array(string key) => Convert(key, v => v.AsInt32Array());

    public string? GetStringOrNull(string key) => Contains(key) ? GetString(key) : null;
    public bool GetBoolOr(string key, bool fallback) => Contains(key) ? GetBool(key) : fallback;
    public int GetInt32Or(string key, int fallback) => Contains(key) ? GetInt32(key) : fallback;
    public float GetFloat32Or(string key, float fallback) => Contains(key) ? GetFloat32(key) : fallback;

    private T Convert<T>(string key, Func<GgufValue, T> convert)
    {
        var v = Get(key);
        try
        {
            return convert(v);
        }
        catch (Exception e) when (e is InvalidCastException or OverflowException)
        {
            throw new GgufMetadataException(key, e.Message);
        }
    }

    public IEnumerator<KeyValuePair<string, GgufValue>> GetEnumerator() => _entries.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
