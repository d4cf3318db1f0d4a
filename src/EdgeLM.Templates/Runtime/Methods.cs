using System.Text;
using EdgeLM.Templates.Values;

namespace EdgeLM.Templates.Runtime;

/// <summary>Methods of str, dict and list values callable from templates (<c>s.strip()</c>, <c>d.items()</c>, ...).</summary>
internal static class Methods
{
    // ImmutableSandboxedEnvironment refuses these: reading gives an unsafe undefined, calling raises SecurityError.
    private static readonly HashSet<string> s_unsafeList = ["append", "clear", "pop", "reverse", "insert", "sort", "extend", "remove"];
    private static readonly HashSet<string> s_unsafeDict = ["clear", "pop", "popitem", "setdefault", "update"];

    public static bool IsUnsafe(object? owner, string name) => owner switch
    {
        List<object?> => s_unsafeList.Contains(name),
        PyDict => s_unsafeDict.Contains(name),
        _ => false,
    };

    public static PyFunction? Bind(object? owner, string name)
    {
        Func<CallArguments, object?>? body = owner switch
        {
            string s => StringMethod(s, name),
            Markup m => StringMethod(m.Text, name),
            PyDict d => DictMethod(d, name),
            List<object?> l => ListMethod(l, name),
            object?[] t => TupleMethod(t, name),
            _ => null,
        };
        return body is null ? null : new PyFunction(name, body, "method");
    }

    private static Func<CallArguments, object?>? DictMethod(PyDict d, string name) => name switch
    {
        "items" => _ => d.Items.Select(kv => (object?)new object?[] { kv.Key, kv.Value }).ToList(),
        "keys" => _ => d.Keys.ToList(),
        "values" => _ => d.Values.ToList(),
        "get" => a => d.TryGet(a.Get(0, "key"), out object? v) ? v : a.Get(1, "default"),
        "copy" => _ =>
        {
            var copy = new PyDict();
            foreach (var kv in d.Items)
                copy.Set(kv.Key, kv.Value);
            return copy;
        },
        _ => null,
    };

    private static Func<CallArguments, object?>? ListMethod(List<object?> l, string name) => name switch
    {
        "index" => a => IndexOf(l, a.Get(0, "value")),
        "count" => a => (long)l.Count(x => PyOps.AreEqual(x, a.Get(0, "value"))),
        "copy" => _ => new List<object?>(l),
        _ => null,
    };

    private static Func<CallArguments, object?>? TupleMethod(object?[] t, string name) => name switch
    {
        "index" => a => IndexOf(t, a.Get(0, "value")),
        "count" => a => (long)t.Count(x => PyOps.AreEqual(x, a.Get(0, "value"))),
        _ => null,
    };

    private static object IndexOf(IReadOnlyList<object?> items, object? value)
    {
        for (int i = 0; i < items.Count; i++)
        {
            if (PyOps.AreEqual(items[i], value))
                return (long)i;
        }
        throw Errors.Value($"{PyRepr.Repr(value)} is not in list");
    }

    private static Func<CallArguments, object?>? StringMethod(string s, string name) => name switch
    {
        "strip" => a => Strip(s, a.Get(0, "chars"), true, true),
        "lstrip" => a => Strip(s, a.Get(0, "chars"), true, false),
        "rstrip" => a => Strip(s, a.Get(0, "chars"), false, true),
        "split" => a => Split(s, a.Get(0, "sep"), a.Get(1, "maxsplit", -1L)),
        "rsplit" => a => RSplit(s, a.Get(0, "sep"), a.Get(1, "maxsplit", -1L)),
        "splitlines" => _ => SplitLines(s).Cast<object?>().ToList(),
        "startswith" => a => Affix(s, a.Get(0, "prefix"), true),
        "endswith" => a => Affix(s, a.Get(0, "suffix"), false),
        "upper" => _ => s.ToUpperInvariant(),
        "lower" => _ => s.ToLowerInvariant(),
        "casefold" => _ => s.ToLowerInvariant(),
        "title" => _ => Title(s),
        "capitalize" => _ => Capitalize(s),
        "swapcase" => _ => new string(s.Select(c => char.IsUpper(c) ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c)).ToArray()),
        "replace" => a => Replace(s, Text(a.Get(0, "old")), Text(a.Get(1, "new")), a.Get(2, "count", -1L)),
        "find" => a => (long)s.IndexOf(Text(a.Get(0, "sub")), StringComparison.Ordinal),
        "rfind" => a => (long)s.LastIndexOf(Text(a.Get(0, "sub")), StringComparison.Ordinal),
        "index" => a => s.IndexOf(Text(a.Get(0, "sub")), StringComparison.Ordinal) is var i && i >= 0 ? (long)i : throw Errors.Value("substring not found"),
        "count" => a => CountOf(s, Text(a.Get(0, "sub"))),
        "format" => a => StrFormat.Apply(s, a),
        "join" => a => string.Join(s, PyOps.Iterate(a.Get(0, "iterable")).Select(x => x is string or Markup ? PyRepr.Str(x) : throw Errors.Type($"sequence item: expected str instance, {PyRepr.TypeName(x)} found"))),
        "isdigit" => _ => s.Length > 0 && s.All(char.IsDigit),
        "isnumeric" => _ => s.Length > 0 && s.All(char.IsDigit),
        "isalpha" => _ => s.Length > 0 && s.All(char.IsLetter),
        "isalnum" => _ => s.Length > 0 && s.All(char.IsLetterOrDigit),
        "isspace" => _ => s.Length > 0 && s.All(char.IsWhiteSpace),
        "islower" => _ => s.Any(char.IsLetter) && !s.Any(char.IsUpper),
        "isupper" => _ => s.Any(char.IsLetter) && !s.Any(char.IsLower),
        "center" => a => Pad(s, a, 'c'),
        "ljust" => a => Pad(s, a, 'l'),
        "rjust" => a => Pad(s, a, 'r'),
        "zfill" => a => s.PadLeft((int)PyOps.ToDouble(a.Get(0, "width")), '0'),
        "partition" => a => Partition(s, Text(a.Get(0, "sep"))),
        _ => null,
    };

    private static string Text(object? value) => PyOps.AsString(value)
        ?? throw Errors.Type($"must be str, not {PyRepr.TypeName(value)}");

    public static string Strip(string s, object? chars, bool left, bool right)
    {
        if (chars is null or Undefined)
        {
            if (left)
                s = s.TrimStart();
            if (right)
                s = s.TrimEnd();
            return s;
        }
        char[] set = Text(chars).ToCharArray();
        if (left)
            s = s.TrimStart(set);
        if (right)
            s = s.TrimEnd(set);
        return s;
    }

    private static List<object?> Split(string s, object? sep, object? maxSplitValue)
    {
        long maxSplit = maxSplitValue is long m ? m : -1;
        var parts = new List<object?>();
        if (sep is null)
        {
            int i = 0;
            while (true)
            {
                while (i < s.Length && char.IsWhiteSpace(s[i]))
                    i++;
                if (i >= s.Length)
                    break;
                if (maxSplit >= 0 && parts.Count >= maxSplit)
                {
                    parts.Add(s[i..].TrimEnd());
                    break;
                }
                int start = i;
                while (i < s.Length && !char.IsWhiteSpace(s[i]))
                    i++;
                parts.Add(s[start..i]);
            }
            return parts;
        }
        string separator = Text(sep);
        if (separator.Length == 0)
            throw Errors.Value("empty separator");
        int pos = 0;
        while (maxSplit < 0 || parts.Count < maxSplit)
        {
            int found = s.IndexOf(separator, pos, StringComparison.Ordinal);
            if (found < 0)
                break;
            parts.Add(s[pos..found]);
            pos = found + separator.Length;
        }
        parts.Add(s[pos..]);
        return parts;
    }

    private static List<object?> RSplit(string s, object? sep, object? maxSplitValue)
    {
        long maxSplit = maxSplitValue is long m ? m : -1;
        if (maxSplit < 0 || sep is null)
            return Split(s, sep, maxSplit < 0 ? -1L : maxSplitValue);
        string separator = Text(sep);
        if (separator.Length == 0)
            throw Errors.Value("empty separator");
        var parts = new List<object?>();
        int end = s.Length;
        while (parts.Count < maxSplit)
        {
            int found = end == 0 ? -1 : s.LastIndexOf(separator, end - 1, StringComparison.Ordinal);
            if (found < 0 || found + separator.Length > end)
                break;
            parts.Insert(0, s[(found + separator.Length)..end]);
            end = found;
        }
        parts.Insert(0, s[..end]);
        return parts;
    }

    /// <summary>Python's str.splitlines: every Unicode line boundary, "\r\n" counted once.</summary>
    public static List<string> SplitLines(string s)
    {
        var lines = new List<string>();
        int start = 0;
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c is '\n' or '\r' or '\v' or '\f' or '\x1c' or '\x1d' or '\x1e' or '\x85' or '\u2028' or '\u2029')
            {
                lines.Add(s[start..i]);
                if (c == '\r' && i + 1 < s.Length && s[i + 1] == '\n')
                    i++;
                start = i + 1;
            }
        }
        if (start < s.Length)
            lines.Add(s[start..]);
        return lines;
    }

    private static bool Affix(string s, object? affix, bool prefix)
    {
        if (affix is object?[] options)
            return options.Any(o => Affix(s, o, prefix));
        string text = PyOps.AsString(affix)
            ?? throw Errors.Type($"{(prefix ? "startswith" : "endswith")} first arg must be str or a tuple of str, not {PyRepr.TypeName(affix)}");
        return prefix ? s.StartsWith(text, StringComparison.Ordinal) : s.EndsWith(text, StringComparison.Ordinal);
    }

    /// <summary>Python's str.title: a letter is upper-cased after a non-letter and lower-cased after a letter.</summary>
    public static string Title(string s)
    {
        var sb = new StringBuilder(s.Length);
        bool previousCased = false;
        foreach (char c in s)
        {
            sb.Append(previousCased ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c));
            previousCased = char.IsLetter(c);
        }
        return sb.ToString();
    }

    public static string Capitalize(string s) =>
        s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..].ToLowerInvariant();

    public static string Replace(string s, string old, string replacement, object? countValue)
    {
        long count = countValue is long c ? c : -1;
        if (count < 0)
        {
            if (old.Length == 0)
                return replacement + string.Join(replacement, PyOps.ToList(s).Cast<string>()) + (s.Length > 0 ? replacement : "");
            return s.Replace(old, replacement, StringComparison.Ordinal);
        }
        var sb = new StringBuilder();
        int pos = 0;
        for (long n = 0; n < count && old.Length > 0; n++)
        {
            int found = s.IndexOf(old, pos, StringComparison.Ordinal);
            if (found < 0)
                break;
            sb.Append(s, pos, found - pos).Append(replacement);
            pos = found + old.Length;
        }
        sb.Append(s, pos, s.Length - pos);
        return sb.ToString();
    }

    private static long CountOf(string s, string sub)
    {
        if (sub.Length == 0)
            return PyOps.CodePointLength(s) + 1;
        long n = 0;
        int pos = 0;
        while ((pos = s.IndexOf(sub, pos, StringComparison.Ordinal)) >= 0)
        {
            n++;
            pos += sub.Length;
        }
        return n;
    }

    private static string Pad(string s, CallArguments a, char mode)
    {
        int width = (int)PyOps.ToDouble(a.Get(0, "width"));
        string fill = a.Get(1, "fillchar") is string f && f.Length == 1 ? f : " ";
        int pad = width - s.Length;
        if (pad <= 0)
            return s;
        return mode switch
        {
            'l' => s + string.Concat(Enumerable.Repeat(fill, pad)),
            'r' => string.Concat(Enumerable.Repeat(fill, pad)) + s,
            // CPython's center puts the extra character on the left when both the padding and the width are odd.
            _ => string.Concat(Enumerable.Repeat(fill, pad / 2 + (pad & width & 1))) + s + string.Concat(Enumerable.Repeat(fill, pad - pad / 2 - (pad & width & 1))),
        };
    }

    private static object?[] Partition(string s, string sep)
    {
        int i = s.IndexOf(sep, StringComparison.Ordinal);
        return i < 0 ? [s, "", ""] : [s[..i], sep, s[(i + sep.Length)..]];
    }
}
