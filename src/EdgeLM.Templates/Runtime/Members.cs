using EdgeLM.Templates.Values;

namespace EdgeLM.Templates.Runtime;

/// <summary>
/// <c>a.b</c>, <c>a[b]</c> and <c>a[x:y:z]</c> as the sandboxed Jinja2 environment resolves them:
/// attributes first for <c>a.b</c> (so <c>dict.items</c> is the method), items first for <c>a[b]</c>,
/// and a lenient undefined when neither exists.
/// </summary>
internal static class Members
{
    public static object? GetAttribute(object? owner, string name)
    {
        if (owner is Undefined u)
            throw u.Fail();
        if (name.StartsWith('_'))
            return Undefined.Unsafe(owner, name);
        if (TryGetAttribute(owner, name, out object? value))
            return value;
        if (owner is PyDict dict && dict.TryGet(name, out object? item))
            return item;
        return Undefined.NoMember(owner, name);
    }

    public static object? GetItem(object? owner, object? key)
    {
        if (owner is Undefined u)
            throw u.Fail();
        switch (owner)
        {
            case PyDict dict:
                if (PyOps.IsHashable(key) && dict.TryGet(key, out object? value))
                    return value;
                break;
            case List<object?> list when key is long or bool:
                if (TryIndex(list.Count, key, out int i))
                    return list[i];
                break;
            case object?[] tuple when key is long or bool:
                if (TryIndex(tuple.Length, key, out int j))
                    return tuple[j];
                break;
            case string or Markup when key is long or bool:
                var chars = PyOps.ToList(PyOps.AsString(owner));
                if (TryIndex(chars.Count, key, out int k))
                    return chars[k];
                break;
        }
        if (key is string name && !name.StartsWith('_') && TryGetAttribute(owner, name, out object? attribute))
            return attribute;
        if (key is string unsafeName && unsafeName.StartsWith('_'))
            return Undefined.Unsafe(owner, unsafeName);
        return Undefined.NoMember(owner, key);
    }

    private static bool TryIndex(int count, object? key, out int index)
    {
        long i = key is bool b ? (b ? 1 : 0) : (long)key!;
        if (i < 0)
            i += count;
        index = (int)i;
        return i >= 0 && i < count;
    }

    private static bool TryGetAttribute(object? owner, string name, out object? value)
    {
        switch (owner)
        {
            case LoopInfo loop:
                return loop.TryGet(name, out value);
            case NamespaceObject ns:
                return ns.Attributes.TryGet(name, out value);
        }
        if (Methods.IsUnsafe(owner, name))
        {
            value = Undefined.Unsafe(owner, name);
            return true;
        }
        var method = Methods.Bind(owner, name);
        value = method;
        return method is not null;
    }

    public static object? Slice(object? owner, object? start, object? stop, object? step)
    {
        if (owner is Undefined u)
            throw u.Fail();
        long? a = SliceIndex(start), b = SliceIndex(stop), c = SliceIndex(step);
        long stepValue = c ?? 1;
        if (stepValue == 0)
            throw Errors.Value("slice step cannot be zero");
        IReadOnlyList<object?> items = owner switch
        {
            List<object?> list => list,
            object?[] tuple => tuple,
            string or Markup => PyOps.ToList(PyOps.AsString(owner)),
            _ => throw Errors.Type($"{PyRepr.Repr(PyRepr.TypeName(owner))} object is not subscriptable"),
        };
        var picked = new List<object?>();
        long n = items.Count;
        if (stepValue > 0)
        {
            long from = Clamp(a ?? 0, n, 0, n), to = Clamp(b ?? n, n, 0, n);
            for (long i = from; i < to; i += stepValue)
                picked.Add(items[(int)i]);
        }
        else
        {
            long from = Clamp(a ?? n - 1, n, -1, n - 1), to = b is null ? -1 : Clamp(b.Value, n, -1, n - 1);
            for (long i = from; i > to; i += stepValue)
                picked.Add(items[(int)i]);
        }
        return owner switch
        {
            List<object?> => picked,
            object?[] => picked.ToArray(),
            _ => string.Concat(picked.Cast<string>()),
        };
    }

    // Python's slice index normalisation: negative counts from the end, then clamp to the range.
    private static long Clamp(long index, long n, long low, long high)
    {
        if (index < 0)
            index += n;
        return Math.Min(Math.Max(index, low), high);
    }

    private static long? SliceIndex(object? value) => value switch
    {
        null => null,
        long l => l,
        bool b => b ? 1 : 0,
        Undefined u => throw u.Fail(),
        _ => throw Errors.Type("slice indices must be integers or None or have an __index__ method"),
    };

    /// <summary>Dotted attribute path as used by map/selectattr/sort(attribute=...): each part through getitem.</summary>
    public static object? GetPath(object? owner, object? path)
    {
        if (path is not string s)
            return GetItem(owner, path);
        object? value = owner;
        foreach (string part in s.Split('.'))
        {
            object key = long.TryParse(part, out long index) ? index : part;
            value = GetItem(value, key);
        }
        return value;
    }
}
