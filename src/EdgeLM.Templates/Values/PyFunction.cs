namespace EdgeLM.Templates.Values;

/// <summary>Arguments of a call: positional values in order and keyword values in source order.</summary>
internal sealed class CallArguments
{
    public static readonly CallArguments Empty = new([], []);

    public CallArguments(List<object?> positional, List<KeyValuePair<string, object?>> keywords)
    {
        Positional = positional;
        Keywords = keywords;
    }

    public List<object?> Positional { get; }

    public List<KeyValuePair<string, object?>> Keywords { get; }

    /// <summary>Binds a parameter by position or name, the way Python does for a simple signature.</summary>
    public object? Get(int index, string name, object? fallback = null)
    {
        foreach (var kv in Keywords)
        {
            if (kv.Key == name)
                return kv.Value;
        }
        return index >= 0 && index < Positional.Count ? Positional[index] : fallback;
    }

    public bool Has(int index, string name)
    {
        if (index >= 0 && index < Positional.Count)
            return true;
        foreach (var kv in Keywords)
        {
            if (kv.Key == name)
                return true;
        }
        return false;
    }
}

/// <summary>Anything callable from a template: globals, macros and bound methods of values.</summary>
internal sealed class PyFunction
{
    private readonly Func<CallArguments, object?> _invoke;

    public PyFunction(string name, Func<CallArguments, object?> invoke, string kind = "function")
    {
        Name = name;
        Kind = kind;
        _invoke = invoke;
    }

    public string Name { get; }

    /// <summary>"function", "macro" or "method"; only used for repr.</summary>
    public string Kind { get; }

    public object? Invoke(CallArguments args) => _invoke(args);
}
