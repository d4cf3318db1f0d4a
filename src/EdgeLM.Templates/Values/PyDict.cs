namespace EdgeLM.Templates.Values;

/// <summary>
/// A Python dict: insertion-ordered (tojson, items() and for-loops follow the order of the input
/// JSON) with Python key equality (1, 1.0 and True are the same key).
/// </summary>
internal sealed class PyDict
{
    // OrderedDictionary does not take null keys; Python's None key is stored as this sentinel.
    private static readonly object s_noneKey = new();

    private readonly OrderedDictionary<object, object?> _items = new(PyKeyComparer.Instance);

    public int Count => _items.Count;

    public IEnumerable<object?> Keys
    {
        get
        {
            foreach (var key in _items.Keys)
                yield return ReferenceEquals(key, s_noneKey) ? null : key;
        }
    }

    public IEnumerable<object?> Values => _items.Values;

    public IEnumerable<KeyValuePair<object?, object?>> Items
    {
        get
        {
            foreach (var kv in _items)
                yield return new KeyValuePair<object?, object?>(ReferenceEquals(kv.Key, s_noneKey) ? null : kv.Key, kv.Value);
        }
    }

    public bool TryGet(object? key, out object? value)
    {
        if (!PyOps.IsHashable(key))
            throw Runtime.Errors.Type($"unhashable type: {PyRepr.Repr(PyRepr.TypeName(key))}");
        return _items.TryGetValue(key ?? s_noneKey, out value);
    }

    public bool ContainsKey(object? key) => TryGet(key, out _);

    public void Set(object? key, object? value)
    {
        if (!PyOps.IsHashable(key))
            throw Runtime.Errors.Type($"unhashable type: {PyRepr.Repr(PyRepr.TypeName(key))}");
        _items[key ?? s_noneKey] = value;
    }

    private sealed class PyKeyComparer : IEqualityComparer<object>
    {
        public static readonly PyKeyComparer Instance = new();

        public new bool Equals(object? x, object? y)
        {
            if (ReferenceEquals(x, s_noneKey) || ReferenceEquals(y, s_noneKey))
                return ReferenceEquals(x, y);
            return PyOps.AreEqual(x, y);
        }

        public int GetHashCode(object obj) => PyOps.Hash(obj);
    }
}
