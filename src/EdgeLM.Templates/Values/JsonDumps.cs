using System.Globalization;
using System.Text;

namespace EdgeLM.Templates.Values;

/// <summary>
/// Python's json.dumps as transformers' tojson calls it: ensure_ascii, indent (int or string),
/// separators and sort_keys, with Python's exact spacing and escapes.
/// </summary>
internal sealed class JsonDumps
{
    private readonly bool _ensureAscii;
    private readonly string? _indent;
    private readonly string _itemSeparator;
    private readonly string _keySeparator;
    private readonly bool _sortKeys;

    public JsonDumps(bool ensureAscii, string? indent, string? itemSeparator, string? keySeparator, bool sortKeys)
    {
        _ensureAscii = ensureAscii;
        _indent = indent;
        _itemSeparator = itemSeparator ?? (indent is null ? ", " : ",");
        _keySeparator = keySeparator ?? ": ";
        _sortKeys = sortKeys;
    }

    public string Dump(object? value)
    {
        var sb = new StringBuilder();
        Write(sb, value, 0);
        return sb.ToString();
    }

    private void Write(StringBuilder sb, object? value, int level)
    {
        if (level > 500)
            throw new TemplateException("RecursionError", "maximum recursion depth exceeded while encoding a JSON object");
        switch (value)
        {
            case null:
                sb.Append("null");
                break;
            case bool b:
                sb.Append(b ? "true" : "false");
                break;
            case long l:
                sb.Append(l.ToString(CultureInfo.InvariantCulture));
                break;
            case double d:
                sb.Append(double.IsNaN(d) ? "NaN" : double.IsInfinity(d) ? (d > 0 ? "Infinity" : "-Infinity") : PyRepr.FloatRepr(d));
                break;
            case string s:
                WriteString(sb, s);
                break;
            case Markup m:
                WriteString(sb, m.Text);
                break;
            case List<object?> list:
                WriteArray(sb, list, level);
                break;
            case object?[] tuple:
                WriteArray(sb, tuple, level);
                break;
            case PyDict dict:
                WriteObject(sb, dict, level);
                break;
            default:
                throw Runtime.Errors.Type($"Object of type {PyRepr.TypeName(value)} is not JSON serializable");
        }
    }

    private void WriteArray(StringBuilder sb, IReadOnlyList<object?> items, int level)
    {
        if (items.Count == 0)
        {
            sb.Append("[]");
            return;
        }
        sb.Append('[');
        for (int i = 0; i < items.Count; i++)
        {
            if (i > 0)
                sb.Append(_itemSeparator);
            NewLine(sb, level + 1);
            Write(sb, items[i], level + 1);
        }
        NewLine(sb, level);
        sb.Append(']');
    }

    private void WriteObject(StringBuilder sb, PyDict dict, int level)
    {
        if (dict.Count == 0)
        {
            sb.Append("{}");
            return;
        }
        IEnumerable<KeyValuePair<object?, object?>> items = dict.Items;
        if (_sortKeys)
            items = items.OrderBy(kv => kv.Key, Comparer<object?>.Create((a, b) => PyOps.Compare(a, b, "<")));
        sb.Append('{');
        bool first = true;
        foreach (var kv in items)
        {
            if (!first)
                sb.Append(_itemSeparator);
            first = false;
            NewLine(sb, level + 1);
            WriteString(sb, KeyText(kv.Key));
            sb.Append(_keySeparator);
            Write(sb, kv.Value, level + 1);
        }
        NewLine(sb, level);
        sb.Append('}');
    }

    // json.dumps turns non-string keys into strings: True → "true", None → "null", 1.5 → "1.5".
    private static string KeyText(object? key) => key switch
    {
        string s => s,
        Markup m => m.Text,
        null => "null",
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => PyRepr.FloatRepr(d),
        _ => throw Runtime.Errors.Type($"keys must be str, int, float, bool or None, not {PyRepr.TypeName(key)}"),
    };

    private void NewLine(StringBuilder sb, int level)
    {
        if (_indent is null)
            return;
        sb.Append('\n');
        for (int i = 0; i < level; i++)
            sb.Append(_indent);
    }

    private void WriteString(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (char c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                default:
                    // Surrogate halves come out one by one, which is exactly Python's pair form for ensure_ascii.
                    if (c < 0x20 || (_ensureAscii && c > 0x7e))
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else
                        sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
    }
}
