using System.Globalization;
using System.Text;
using EdgeLM.Templates.Values;

namespace EdgeLM.Templates.Runtime;

/// <summary>Jinja2 3.1's built-in filters, with transformers' tojson in place of Jinja2's.</summary>
internal static class Filters
{
    private static readonly HashSet<string> s_names =
    [
        "abs", "attr", "batch", "capitalize", "center", "count", "d", "default", "dictsort", "e", "escape", "first",
        "float", "forceescape", "format", "indent", "int", "items", "join", "last", "length", "list", "lower", "map",
        "max", "min", "reject", "rejectattr", "replace", "reverse", "round", "safe", "select", "selectattr", "sort",
        "string", "sum", "title", "tojson", "trim", "unique", "upper", "wordcount",
    ];

    public static bool Exists(string name) => s_names.Contains(name);

    public static object? Apply(string name, object? value, CallArguments a, Interpreter interpreter)
    {
        switch (name)
        {
            case "abs":
                return value switch { long l => (object)Math.Abs(l), double d => (object)Math.Abs(d), bool b => (object)(b ? 1L : 0L), _ => throw Errors.Type($"bad operand type for abs(): {PyRepr.Repr(PyRepr.TypeName(value))}") };
            case "attr":
                return Members.GetAttribute(value, PyRepr.Str(a.Get(0, "name")));
            case "batch":
                return Batch(value, a);
            case "capitalize":
                return Methods.Capitalize(PyRepr.Str(value));
            case "center":
                return Methods.Bind(PyRepr.Str(value), "center")!.Invoke(new CallArguments([a.Get(0, "width", 80L)], []));
            case "count" or "length":
                return value is PyGenerator ? throw Errors.Type("object of type 'generator' has no len()") : PyOps.Length(value);
            case "d" or "default":
                {
                    bool boolean = PyOps.IsTrue(a.Get(1, "boolean", false));
                    return value is Undefined || (boolean && !PyOps.IsTrue(value)) ? a.Get(0, "default_value", "") : value;
                }
            case "dictsort":
                return DictSort(value, a);
            case "e" or "escape" or "forceescape":
                return value is Markup m && name != "forceescape" ? m : new Markup(Markup.Escape(PyRepr.Str(value)));
            case "first":
                foreach (var item in PyOps.Iterate(value))
                    return item;
                return new Undefined("UndefinedError", "No first item, sequence was empty.");
            case "last":
                {
                    var items = value is PyGenerator ? throw Errors.Type("'generator' object is not reversible") : PyOps.ToList(value);
                    return items.Count > 0 ? items[^1] : new Undefined("UndefinedError", "No last item, sequence was empty.");
                }
            case "float":
                return ToFloat(value, a.Get(0, "default", 0.0));
            case "format":
                return PercentFormat.Apply(PyRepr.Str(value), a.Keywords.Count > 0 ? KeywordDict(a) : a.Positional.ToArray());
            case "indent":
                return Indent(value, a);
            case "int":
                return ToInt(value, a.Get(0, "default", 0L), a.Get(1, "base", 10L));
            case "items":
                return value switch
                {
                    Undefined => new PyGenerator([]),
                    PyDict d => new PyGenerator(d.Items.Select(kv => (object?)new object?[] { kv.Key, kv.Value }).ToList()),
                    _ => throw Errors.Type("Can only get item pairs from a mapping."),
                };
            case "join":
                {
                    string separator = PyRepr.Str(a.Get(0, "d", ""));
                    object? attribute = a.Get(1, "attribute");
                    var items = PyOps.Iterate(value).Select(x => attribute is null ? x : Members.GetPath(x, attribute));
                    return string.Join(separator, items.Select(PyRepr.Str));
                }
            case "list":
                return PyOps.ToList(value);
            case "lower":
                return PyRepr.Str(value).ToLowerInvariant();
            case "upper":
                return PyRepr.Str(value).ToUpperInvariant();
            case "title":
                return JinjaTitle(PyRepr.Str(value));
            case "map":
                return Map(value, a, interpreter);
            case "max" or "min":
                return MinMax(value, a, name == "max");
            case "select" or "reject":
                return Select(value, a, interpreter, attribute: false, keep: name == "select");
            case "selectattr" or "rejectattr":
                return Select(value, a, interpreter, attribute: true, keep: name == "selectattr");
            case "replace":
                return Methods.Replace(PyRepr.Str(value), PyRepr.Str(a.Get(0, "old")), PyRepr.Str(a.Get(1, "new")), a.Get(2, "count"));
            case "reverse":
                return value switch
                {
                    string or Markup => string.Concat(PyOps.ToList(PyOps.AsString(value)).Cast<string>().Reverse()),
                    PyGenerator => throw Errors.Type("argument to reversed() must be a sequence"),
                    _ => new PyGenerator(Enumerable.Reverse(PyOps.ToList(value))),
                };
            case "round":
                return Round(value, a);
            case "safe":
                return value is Markup ? value : new Markup(PyRepr.Str(value));
            case "sort":
                return Sort(PyOps.ToList(value), a.Get(1, "case_sensitive", false), a.Get(2, "attribute"), PyOps.IsTrue(a.Get(0, "reverse", false)));
            case "string":
                return value is Markup ? value : PyRepr.Str(value);
            case "sum":
                {
                    object? attribute = a.Get(0, "attribute");
                    object? total = a.Get(1, "start", 0L);
                    foreach (var item in PyOps.Iterate(value))
                        total = PyOps.Add(total, attribute is null ? item : Members.GetPath(item, attribute));
                    return total;
                }
            case "tojson":
                return ToJson(value, a);
            case "trim":
                return Methods.Strip(PyRepr.Str(value), a.Get(0, "chars"), true, true);
            case "unique":
                return Unique(value, a);
            case "wordcount":
                return (long)PyRepr.Str(value).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
        }
        throw Errors.Runtime($"No filter named {PyRepr.Repr(name)} found.");
    }

    private static PyDict KeywordDict(CallArguments a)
    {
        var d = new PyDict();
        foreach (var kv in a.Keywords)
            d.Set(kv.Key, kv.Value);
        return d;
    }

    // transformers: json.dumps(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False).
    private static string ToJson(object? value, CallArguments a)
    {
        bool ensureAscii = PyOps.IsTrue(a.Get(0, "ensure_ascii", false));
        object? indentValue = a.Get(1, "indent");
        string? indent = indentValue switch
        {
            null => null,
            long n => new string(' ', (int)Math.Max(0, n)),
            string s => s,
            _ => throw Errors.Type($"indent must be int or str, not {PyRepr.TypeName(indentValue)}"),
        };
        string? itemSep = null, keySep = null;
        if (a.Get(2, "separators") is { } separators and not Undefined)
        {
            var parts = PyOps.ToList(separators);
            if (parts.Count != 2)
                throw Errors.Value("separators must be a pair of strings");
            itemSep = PyRepr.Str(parts[0]);
            keySep = PyRepr.Str(parts[1]);
        }
        bool sortKeys = PyOps.IsTrue(a.Get(3, "sort_keys", false));
        return new JsonDumps(ensureAscii, indent, itemSep, keySep, sortKeys).Dump(value);
    }

    private static object Indent(object? value, CallArguments a)
    {
        object? width = a.Get(0, "width", 4L);
        string indention = width is string w ? w : new string(' ', (int)PyOps.ToDouble(width));
        bool first = PyOps.IsTrue(a.Get(1, "first", false));
        bool blank = PyOps.IsTrue(a.Get(2, "blank", false));
        // Jinja appends a newline before splitlines so a trailing newline survives as an empty line.
        string s = PyRepr.Str(value) + "\n";
        var lines = Methods.SplitLines(s);
        string rv;
        if (blank)
        {
            rv = string.Join("\n" + indention, lines);
        }
        else
        {
            rv = lines[0];
            if (lines.Count > 1)
                rv += "\n" + string.Join("\n", lines.Skip(1).Select(line => line.Length > 0 ? indention + line : line));
        }
        if (first)
            rv = indention + rv;
        return value is Markup ? new Markup(rv) : rv;
    }

    private static object? ToInt(object? value, object? fallback, object? baseValue)
    {
        int numberBase = (int)PyOps.ToDouble(baseValue);
        switch (value)
        {
            case long l: return l;
            case bool b: return b ? 1L : 0L;
            case double d: return double.IsFinite(d) ? (long)Math.Truncate(d) : fallback;
            case string or Markup:
                string s = PyOps.AsString(value)!.Trim().Replace("_", "");
                try
                {
                    if (numberBase == 10)
                        return long.Parse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
                    return Convert.ToInt64(s, numberBase);
                }
                catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
                {
                    return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double f) && double.IsFinite(f) ? (long)Math.Truncate(f) : fallback;
                }
            default:
                return fallback;
        }
    }

    private static object? ToFloat(object? value, object? fallback) => value switch
    {
        long l => (double)l,
        double d => d,
        bool b => b ? 1.0 : 0.0,
        string or Markup => double.TryParse(PyOps.AsString(value)!.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double f) ? f : fallback,
        _ => fallback,
    };

    private static object Round(object? value, CallArguments a)
    {
        int precision = (int)PyOps.ToDouble(a.Get(0, "precision", 0L));
        string method = PyRepr.Str(a.Get(1, "method", "common"));
        double x = PyOps.ToDouble(value);
        double factor = Math.Pow(10, precision);
        return method switch
        {
            "common" => Math.Round(x, Math.Clamp(precision, 0, 15), MidpointRounding.AwayFromZero),
            "ceil" => Math.Ceiling(x * factor) / factor,
            "floor" => Math.Floor(x * factor) / factor,
            _ => throw Errors.Runtime("method must be common, ceil or floor"),
        };
    }

    /// <summary>Jinja's title filter: capitalises the first letter of each word, words split at spaces, dashes, brackets.</summary>
    private static string JinjaTitle(string s)
    {
        var sb = new StringBuilder(s.Length);
        bool wordStart = true;
        foreach (char c in s)
        {
            if (char.IsWhiteSpace(c) || c is '-' or '(' or '[' or '{' or '<' or '_')
            {
                sb.Append(c);
                wordStart = true;
                continue;
            }
            sb.Append(wordStart ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c));
            wordStart = false;
        }
        return sb.ToString();
    }

    private static PyGenerator Batch(object? value, CallArguments a)
    {
        int size = (int)PyOps.ToDouble(a.Get(0, "linecount"));
        if (size <= 0)
            throw Errors.Value("batch size must be positive");
        bool hasFill = a.Has(1, "fill_with");
        object? fill = a.Get(1, "fill_with");
        var batches = new List<object?>();
        List<object?>? current = null;
        foreach (var item in PyOps.Iterate(value))
        {
            current ??= [];
            current.Add(item);
            if (current.Count == size)
            {
                batches.Add(current);
                current = null;
            }
        }
        if (current is not null)
        {
            while (hasFill && current.Count < size)
                current.Add(fill);
            batches.Add(current);
        }
        return new PyGenerator(batches);
    }

    // Jinja's ignore_case: strings compare lower-cased unless case_sensitive is true.
    private static object? SortKey(object? value, bool caseSensitive) =>
        !caseSensitive && PyOps.AsString(value) is { } s ? s.ToLowerInvariant() : value;

    private static List<object?> DictSort(object? value, CallArguments a)
    {
        if (value is not PyDict dict)
            throw Errors.Type("You can only sort by either 'key' or 'value'");
        bool caseSensitive = PyOps.IsTrue(a.Get(0, "case_sensitive", false));
        string by = PyRepr.Str(a.Get(1, "by", "key"));
        bool reverse = PyOps.IsTrue(a.Get(2, "reverse", false));
        int position = by switch
        {
            "key" => 0,
            "value" => 1,
            _ => throw Errors.Runtime("You can only sort by either 'key' or 'value'"),
        };
        var items = dict.Items.Select(kv => new object?[] { kv.Key, kv.Value }).ToList();
        var sorted = items.OrderBy(pair => SortKey(pair[position], caseSensitive), Comparer<object?>.Create((x, y) => PyOps.Compare(x, y, "<"))).ToList();
        if (reverse)
            sorted.Reverse();
        return sorted.Cast<object?>().ToList();
    }

    private static List<object?> Sort(List<object?> items, object? caseSensitiveValue, object? attribute, bool reverse)
    {
        bool caseSensitive = PyOps.IsTrue(caseSensitiveValue);
        var keyed = items.Select(item => (Item: item, Key: SortKey(attribute is null ? item : Members.GetPath(item, attribute), caseSensitive))).ToList();
        var comparer = Comparer<object?>.Create((x, y) => PyOps.Compare(x, y, "<"));
        var sorted = reverse
            ? keyed.OrderByDescending(k => k.Key, comparer).ToList()
            : keyed.OrderBy(k => k.Key, comparer).ToList();
        return sorted.Select(k => k.Item).ToList();
    }

    private static object? MinMax(object? value, CallArguments a, bool max)
    {
        var items = PyOps.ToList(value);
        if (items.Count == 0)
            return new Undefined("UndefinedError", $"No aggregated item, sequence was empty.");
        bool caseSensitive = PyOps.IsTrue(a.Get(0, "case_sensitive", false));
        object? attribute = a.Get(1, "attribute");
        object? best = items[0];
        object? bestKey = SortKey(attribute is null ? best : Members.GetPath(best, attribute), caseSensitive);
        foreach (var item in items.Skip(1))
        {
            var key = SortKey(attribute is null ? item : Members.GetPath(item, attribute), caseSensitive);
            int c = PyOps.Compare(key, bestKey, max ? ">" : "<");
            if (max ? c > 0 : c < 0)
            {
                best = item;
                bestKey = key;
            }
        }
        return best;
    }

    private static PyGenerator Unique(object? value, CallArguments a)
    {
        bool caseSensitive = PyOps.IsTrue(a.Get(0, "case_sensitive", false));
        object? attribute = a.Get(1, "attribute");
        var seen = new List<object?>();
        var result = new List<object?>();
        foreach (var item in PyOps.Iterate(value))
        {
            var key = SortKey(attribute is null ? item : Members.GetPath(item, attribute), caseSensitive);
            if (seen.Any(s => PyOps.AreEqual(s, key)))
                continue;
            seen.Add(key);
            result.Add(item);
        }
        return new PyGenerator(result);
    }

    private static PyGenerator Map(object? value, CallArguments a, Interpreter interpreter)
    {
        // Jinja's map and select skip falsy input (so none|map(...) is empty, not an error).
        var items = PyOps.IsTrue(value) ? PyOps.Iterate(value) : [];
        if (a.Positional.Count == 0 && a.Keywords.Any(k => k.Key == "attribute"))
        {
            object? attribute = a.Get(-1, "attribute");
            bool hasDefault = a.Has(-1, "default");
            object? fallback = a.Get(-1, "default");
            return new PyGenerator(items.Select(item =>
            {
                var v = Members.GetPath(item, attribute);
                return hasDefault && v is Undefined ? fallback : v;
            }));
        }
        if (a.Positional.Count == 0)
            throw Errors.Runtime("map requires a filter argument");
        string filter = PyRepr.Str(a.Positional[0]);
        var rest = new CallArguments(a.Positional.Skip(1).ToList(), a.Keywords);
        return new PyGenerator(items.Select(item => Apply(filter, item, rest, interpreter)));
    }

    private static PyGenerator Select(object? value, CallArguments a, Interpreter interpreter, bool attribute, bool keep)
    {
        int offset = attribute ? 1 : 0;
        object? path = attribute ? a.Get(0, "attribute") : null;
        string? test = a.Positional.Count > offset ? PyRepr.Str(a.Positional[offset]) : null;
        var testArgs = new CallArguments(a.Positional.Skip(offset + 1).ToList(), []);
        var items = PyOps.IsTrue(value) ? PyOps.Iterate(value) : [];
        return new PyGenerator(items.Where(item =>
        {
            var subject = attribute ? Members.GetPath(item, path) : item;
            bool passed = test is null ? PyOps.IsTrue(subject) : Tests.Apply(test, subject, testArgs, interpreter);
            return passed == keep;
        }));
    }
}
