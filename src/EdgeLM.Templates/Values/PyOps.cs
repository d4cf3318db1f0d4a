using EdgeLM.Templates.Runtime;

namespace EdgeLM.Templates.Values;

/// <summary>Python semantics of the operators and protocols templates rely on (truth, ==, &lt;, +, in, len, iter).</summary>
internal static class PyOps
{
    public static bool IsTrue(object? value) => value switch
    {
        null => false,
        bool b => b,
        long l => l != 0,
        double d => d != 0,
        string s => s.Length > 0,
        Markup m => m.Text.Length > 0,
        List<object?> list => list.Count > 0,
        object?[] tuple => tuple.Length > 0,
        PyDict dict => dict.Count > 0,
        Undefined => false,
        _ => true,
    };

    public static bool IsNumber(object? value) => value is long or double or bool;

    public static bool IsString(object? value) => value is string or Markup;

    public static string? AsString(object? value) => value switch
    {
        string s => s,
        Markup m => m.Text,
        _ => null,
    };

    public static double ToDouble(object? value) => value switch
    {
        long l => l,
        double d => d,
        bool b => b ? 1 : 0,
        _ => throw Errors.Type($"must be real number, not {PyRepr.TypeName(value)}"),
    };

    public static bool IsHashable(object? value) => value switch
    {
        List<object?> or PyDict or NamespaceObject => false,
        object?[] tuple => tuple.All(IsHashable),
        _ => true,
    };

    public static int Hash(object? value) => value switch
    {
        null => 0,
        bool b => b ? 1 : 0,
        long l => l.GetHashCode(),
        double d => d == Math.Floor(d) && Math.Abs(d) < 9.2e18 ? ((long)d).GetHashCode() : d.GetHashCode(),
        string s => StringComparer.Ordinal.GetHashCode(s),
        Markup m => StringComparer.Ordinal.GetHashCode(m.Text),
        object?[] tuple => tuple.Aggregate(17, (h, x) => h * 31 + Hash(x)),
        _ => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(value),
    };

    public static bool AreEqual(object? a, object? b)
    {
        if (a is null || b is null)
            return a is null && b is null;
        if (IsNumber(a) && IsNumber(b))
        {
            if (a is double || b is double)
                return ToDouble(a) == ToDouble(b);
            return ToLong(a) == ToLong(b);
        }
        if (AsString(a) is { } sa && AsString(b) is { } sb)
            return sa == sb;
        switch (a)
        {
            case List<object?> la when b is List<object?> lb:
                return SequenceEqual(la, lb);
            case object?[] ta when b is object?[] tb:
                return SequenceEqual(ta, tb);
            case PyDict da when b is PyDict db:
                if (da.Count != db.Count)
                    return false;
                foreach (var kv in da.Items)
                {
                    if (!db.TryGet(kv.Key, out object? other) || !AreEqual(kv.Value, other))
                        return false;
                }
                return true;
            case Undefined when b is Undefined:
                return true;
        }
        return ReferenceEquals(a, b);
    }

    private static bool SequenceEqual(IReadOnlyList<object?> a, IReadOnlyList<object?> b)
    {
        if (a.Count != b.Count)
            return false;
        for (int i = 0; i < a.Count; i++)
        {
            if (!AreEqual(a[i], b[i]))
                return false;
        }
        return true;
    }

    private static long ToLong(object? value) => value switch
    {
        long l => l,
        bool b => b ? 1 : 0,
        _ => throw Errors.Type("an integer is required"),
    };

    /// <summary>Python's ordering for &lt; &gt; &lt;= &gt;= (op names the operator for the error message).</summary>
    public static int Compare(object? a, object? b, string op)
    {
        if (a is Undefined ua)
            throw ua.Fail();
        if (b is Undefined ub)
            throw ub.Fail();
        if (IsNumber(a) && IsNumber(b))
        {
            if (a is double || b is double)
                return ToDouble(a).CompareTo(ToDouble(b));
            return ToLong(a).CompareTo(ToLong(b));
        }
        if (AsString(a) is { } sa && AsString(b) is { } sb)
            return string.CompareOrdinal(sa, sb);
        if (a is List<object?> la && b is List<object?> lb)
            return CompareSequences(la, lb, op);
        if (a is object?[] ta && b is object?[] tb)
            return CompareSequences(ta, tb, op);
        throw Errors.Type($"'{op}' not supported between instances of {PyRepr.Repr(PyRepr.TypeName(a))} and {PyRepr.Repr(PyRepr.TypeName(b))}");
    }

    private static int CompareSequences(IReadOnlyList<object?> a, IReadOnlyList<object?> b, string op)
    {
        for (int i = 0; i < Math.Min(a.Count, b.Count); i++)
        {
            if (!AreEqual(a[i], b[i]))
                return Compare(a[i], b[i], op);
        }
        return a.Count.CompareTo(b.Count);
    }

    /// <summary>Iterates like Python's iter(): strings give characters, dicts give keys, undefined gives nothing.</summary>
    public static IEnumerable<object?> Iterate(object? value) => value switch
    {
        List<object?> list => list,
        object?[] tuple => tuple,
        PyDict dict => dict.Keys,
        string s => Characters(s),
        Markup m => Characters(m.Text),
        Undefined => [],
        PyGenerator g => g.Consume(),
        _ => throw Errors.Type($"{PyRepr.Repr(PyRepr.TypeName(value))} object is not iterable"),
    };

    public static List<object?> ToList(object? value) => new(Iterate(value));

    private static IEnumerable<object?> Characters(string s)
    {
        for (int i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                yield return s.Substring(i, 2);
                i++;
            }
            else
            {
                yield return s[i].ToString();
            }
        }
    }

    public static long Length(object? value) => value switch
    {
        string s => CodePointLength(s),
        Markup m => CodePointLength(m.Text),
        List<object?> list => list.Count,
        object?[] tuple => tuple.Length,
        PyDict dict => dict.Count,
        Undefined => 0,
        NamespaceObject => throw Errors.Type("object of type 'Namespace' has no len()"),
        _ => throw Errors.Type($"object of type {PyRepr.Repr(PyRepr.TypeName(value))} has no len()"),
    };

    /// <summary>Python strings count code points, not UTF-16 units.</summary>
    public static int CodePointLength(string s)
    {
        int n = 0;
        for (int i = 0; i < s.Length; i++)
        {
            if (!(char.IsLowSurrogate(s[i]) && i > 0 && char.IsHighSurrogate(s[i - 1])))
                n++;
        }
        return n;
    }

    /// <summary>Python's <c>needle in haystack</c>.</summary>
    public static bool Contains(object? haystack, object? needle)
    {
        switch (haystack)
        {
            case string or Markup:
                if (AsString(needle) is not { } sub)
                    throw Errors.Type($"'in <string>' requires string as left operand, not {PyRepr.TypeName(needle)}");
                return AsString(haystack)!.Contains(sub, StringComparison.Ordinal);
            case PyDict dict:
                return dict.ContainsKey(needle);
            case NamespaceObject:
                throw Errors.Type("argument of type 'Namespace' is not iterable");
            case null:
                throw Errors.Type("argument of type 'NoneType' is not iterable");
            case long or double or bool:
                throw Errors.Type($"argument of type {PyRepr.Repr(PyRepr.TypeName(haystack))} is not iterable");
        }
        foreach (var item in Iterate(haystack))
        {
            if (AreEqual(item, needle))
                return true;
        }
        return false;
    }

    public static object? Add(object? a, object? b)
    {
        if (a is Undefined ua)
            throw ua.Fail();
        if (b is Undefined ub)
            throw ub.Fail();
        if (a is Markup ma && IsString(b))
            return new Markup(ma.Text + (b is Markup mb ? mb.Text : Markup.Escape((string)b!)));
        if (b is Markup mb2 && a is string sa2)
            return new Markup(Markup.Escape(sa2) + mb2.Text);
        if (a is string sa)
        {
            if (b is string sb)
                return sa + sb;
            throw Errors.Type($"can only concatenate str (not {Quote(PyRepr.TypeName(b))}) to str");
        }
        if (a is List<object?> la)
        {
            if (b is List<object?> lb)
                return new List<object?>(la.Concat(lb));
            throw Errors.Type($"can only concatenate list (not {Quote(PyRepr.TypeName(b))}) to list");
        }
        if (a is object?[] ta)
        {
            if (b is object?[] tb)
                return ta.Concat(tb).ToArray();
            throw Errors.Type($"can only concatenate tuple (not {Quote(PyRepr.TypeName(b))}) to tuple");
        }
        return Arithmetic(a, b, "+");
    }

    private static string Quote(string s) => "\"" + s + "\"";

    public static object? Multiply(object? a, object? b)
    {
        if (a is Undefined ua)
            throw ua.Fail();
        if (b is Undefined ub)
            throw ub.Fail();
        if (IsSequenceForRepeat(a) && b is long or bool)
            return Repeat(a, ToLong(b));
        if (IsSequenceForRepeat(b) && a is long or bool)
            return Repeat(b, ToLong(a));
        return Arithmetic(a, b, "*");
    }

    private static bool IsSequenceForRepeat(object? v) => v is string or Markup or List<object?> or object?[];

    private static object? Repeat(object? seq, long count)
    {
        count = Math.Max(0, count);
        long size = (seq switch { string s => s.Length, Markup m => m.Text.Length, List<object?> l => l.Count, object?[] t => t.Length, _ => 0 }) * count;
        if (size > 50_000_000)
            throw new TemplateException("MemoryError", "repetition result is too large");
        switch (seq)
        {
            case string s:
                return string.Concat(Enumerable.Repeat(s, (int)count));
            case Markup m:
                return new Markup(string.Concat(Enumerable.Repeat(m.Text, (int)count)));
            case List<object?> l:
                var list = new List<object?>();
                for (long i = 0; i < count; i++)
                    list.AddRange(l);
                return list;
            default:
                var t = (object?[])seq!;
                var parts = new List<object?>();
                for (long i = 0; i < count; i++)
                    parts.AddRange(t);
                return parts.ToArray();
        }
    }

    /// <summary>Numeric + - * / // % ** with Python's int/float rules (true division always gives float).</summary>
    public static object? Arithmetic(object? a, object? b, string op)
    {
        if (a is Undefined ua)
            throw ua.Fail();
        if (b is Undefined ub)
            throw ub.Fail();
        if (op == "%" && AsString(a) is { } format)
            return PercentFormat.Apply(format, b);
        if (!IsNumber(a) || !IsNumber(b))
            throw Errors.Type($"unsupported operand type(s) for {op}: {PyRepr.Repr(PyRepr.TypeName(a))} and {PyRepr.Repr(PyRepr.TypeName(b))}");
        bool integral = a is not double && b is not double;
        if (integral)
        {
            long x = ToLong(a), y = ToLong(b);
            switch (op)
            {
                case "+": return x + y;
                case "-": return x - y;
                case "*": return x * y;
                case "/":
                    if (y == 0)
                        throw new TemplateException("ZeroDivisionError", "division by zero");
                    return (double)x / y;
                case "//":
                    if (y == 0)
                        throw new TemplateException("ZeroDivisionError", "integer division or modulo by zero");
                    return FloorDiv(x, y);
                case "%":
                    if (y == 0)
                        throw new TemplateException("ZeroDivisionError", "integer modulo by zero");
                    return x - FloorDiv(x, y) * y;
                case "**":
                    if (y < 0)
                        return Math.Pow(x, y);
                    long r = 1;
                    for (long i = 0; i < y && i < 64; i++)
                        r *= x;
                    return r;
            }
        }
        double p = ToDouble(a), q = ToDouble(b);
        switch (op)
        {
            case "+": return p + q;
            case "-": return p - q;
            case "*": return p * q;
            case "/":
                if (q == 0)
                    throw new TemplateException("ZeroDivisionError", "float division by zero");
                return p / q;
            case "//":
                if (q == 0)
                    throw new TemplateException("ZeroDivisionError", "float floor division by zero");
                return Math.Floor(p / q);
            case "%":
                if (q == 0)
                    throw new TemplateException("ZeroDivisionError", "float modulo");
                double m = p % q;
                return m != 0 && (m < 0) != (q < 0) ? m + q : m;
            case "**": return Math.Pow(p, q);
        }
        throw Errors.Runtime($"unknown operator {op}");
    }

    private static long FloorDiv(long x, long y)
    {
        long q = x / y;
        if ((x % y != 0) && ((x < 0) != (y < 0)))
            q--;
        return q;
    }

    public static object? Negate(object? value) => value switch
    {
        Undefined u => throw u.Fail(),
        long l => (object)(-l),
        bool b => (object)(b ? -1L : 0L),
        double d => (object)(-d),
        _ => throw Errors.Type($"bad operand type for unary -: {PyRepr.Repr(PyRepr.TypeName(value))}"),
    };
}
