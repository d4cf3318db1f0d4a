namespace EdgeLM.Templates.Values;

/// <summary>The <c>loop</c> variable inside a for block.</summary>
internal sealed class LoopInfo
{
    private readonly IReadOnlyList<object?> _items;
    private object? _lastChanged = s_never;
    private static readonly object s_never = new();

    public LoopInfo(IReadOnlyList<object?> items, int depth0)
    {
        _items = items;
        Depth0 = depth0;
    }

    public int Index0 { get; set; }

    public int Depth0 { get; }

    /// <summary>Set for <c>for ... recursive</c> loops: calling <c>loop(items)</c> renders the body for items one level deeper.</summary>
    public Func<object?, string>? Recurse { get; set; }

    public bool TryGet(string name, out object? value)
    {
        int n = _items.Count;
        value = name switch
        {
            "index" => (long)(Index0 + 1),
            "index0" => (long)Index0,
            "revindex" => (long)(n - Index0),
            "revindex0" => (long)(n - Index0 - 1),
            "first" => Index0 == 0,
            "last" => Index0 == n - 1,
            "length" => (long)n,
            "depth" => (long)(Depth0 + 1),
            "depth0" => (long)Depth0,
            "previtem" => Index0 > 0 ? _items[Index0 - 1] : new Undefined("UndefinedError", "there is no previous item"),
            "nextitem" => Index0 < n - 1 ? _items[Index0 + 1] : new Undefined("UndefinedError", "there is no next item"),
            "cycle" => new PyFunction("cycle", Cycle, "method"),
            "changed" => new PyFunction("changed", Changed, "method"),
            _ => s_never,
        };
        return !ReferenceEquals(value, s_never);
    }

    private object? Cycle(CallArguments args)
    {
        if (args.Positional.Count == 0)
            throw Runtime.Errors.Type("no items for cycling given");
        return args.Positional[Index0 % args.Positional.Count];
    }

    private object? Changed(CallArguments args)
    {
        object value = new List<object?>(args.Positional);
        if (!ReferenceEquals(_lastChanged, s_never) && PyOps.AreEqual(_lastChanged, value))
            return false;
        _lastChanged = value;
        return true;
    }
}
