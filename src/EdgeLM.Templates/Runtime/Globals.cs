using EdgeLM.Templates.Values;

namespace EdgeLM.Templates.Runtime;

/// <summary>Global functions of the transformers environment: Jinja2's defaults plus raise_exception and strftime_now.</summary>
internal static class Globals
{
    // The sandbox's MAX_RANGE.
    private const long MaxRange = 100_000;

    public static void Install(Scope scope, Interpreter interpreter)
    {
        scope.Set("range", new PyFunction("range", Range));
        scope.Set("dict", new PyFunction("dict", args => Dict(args)));
        scope.Set("namespace", new PyFunction("namespace", args =>
        {
            var ns = new NamespaceObject();
            foreach (var kv in Dict(args).Items)
                ns.Attributes.Set(kv.Key, kv.Value);
            return ns;
        }));
        scope.Set("raise_exception", new PyFunction("raise_exception", args =>
            throw new TemplateException("TemplateError", PyRepr.Str(args.Get(0, "message")))));
        scope.Set("strftime_now", new PyFunction("strftime_now", args =>
            Strftime.Format(interpreter.Now, PyOps.AsString(args.Get(0, "format")) ?? throw Errors.Type("strftime() argument 1 must be str"))));
        scope.Set("joiner", new PyFunction("joiner", args =>
        {
            string separator = PyRepr.Str(args.Get(0, "sep", ", "));
            bool used = false;
            return new PyFunction("joiner", _ =>
            {
                if (used)
                    return separator;
                used = true;
                return "";
            });
        }));
    }

    private static PyDict Dict(CallArguments args)
    {
        var dict = new PyDict();
        if (args.Positional.Count > 1)
            throw Errors.Type($"dict expected at most 1 argument, got {args.Positional.Count}");
        if (args.Positional.Count == 1)
        {
            if (args.Positional[0] is PyDict source)
            {
                foreach (var kv in source.Items)
                    dict.Set(kv.Key, kv.Value);
            }
            else
            {
                foreach (var pair in PyOps.Iterate(args.Positional[0]))
                {
                    var items = PyOps.ToList(pair);
                    if (items.Count != 2)
                        throw Errors.Value("dictionary update sequence element has wrong length");
                    dict.Set(items[0], items[1]);
                }
            }
        }
        foreach (var kv in args.Keywords)
            dict.Set(kv.Key, kv.Value);
        return dict;
    }

    private static object? Range(CallArguments args)
    {
        var p = args.Positional;
        if (p.Count is 0 or > 3)
            throw Errors.Type($"range expected at least 1 argument, got {p.Count}");
        long start = 0, step = 1, stop;
        if (p.Count == 1)
        {
            stop = Integer(p[0]);
        }
        else
        {
            start = Integer(p[0]);
            stop = Integer(p[1]);
            if (p.Count == 3)
                step = Integer(p[2]);
        }
        if (step == 0)
            throw Errors.Value("range() arg 3 must not be zero");
        long count = step > 0 ? Math.Max(0, (stop - start + step - 1) / step) : Math.Max(0, (start - stop - step - 1) / -step);
        if (count > MaxRange)
            throw new TemplateException("OverflowError", $"Range too big. The sandbox blocks ranges larger than MAX_RANGE ({MaxRange}).");
        var list = new List<object?>((int)count);
        for (long i = 0; i < count; i++)
            list.Add(start + i * step);
        return list;
    }

    private static long Integer(object? value) => value switch
    {
        long l => l,
        bool b => b ? 1 : 0,
        Undefined u => throw u.Fail(),
        _ => throw Errors.Type($"{PyRepr.Repr(PyRepr.TypeName(value))} object cannot be interpreted as an integer"),
    };
}
