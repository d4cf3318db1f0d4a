using System.Globalization;
using System.Text;
using EdgeLM.Templates.Values;

namespace EdgeLM.Templates.Runtime;

/// <summary>Python's printf-style <c>"%s" % value</c> for the conversions templates use (s, r, d, i, f, %).</summary>
internal static class PercentFormat
{
    public static string Apply(string format, object? args)
    {
        var values = args is object?[] tuple ? tuple : [args];
        var sb = new StringBuilder();
        int next = 0;
        for (int i = 0; i < format.Length; i++)
        {
            char c = format[i];
            if (c != '%')
            {
                sb.Append(c);
                continue;
            }
            i++;
            int specStart = i;
            while (i < format.Length && "-+ #0123456789.".Contains(format[i]))
                i++;
            if (i >= format.Length)
                throw Errors.Value("incomplete format");
            string spec = format[specStart..i];
            char conv = format[i];
            if (conv == '%')
            {
                sb.Append('%');
                continue;
            }
            if (next >= values.Length)
                throw Errors.Type("not enough arguments for format string");
            object? v = values[next++];
            string text = conv switch
            {
                's' => PyRepr.Str(v),
                'r' => PyRepr.Repr(v),
                'd' or 'i' => ((long)Math.Truncate(PyOps.ToDouble(v))).ToString(CultureInfo.InvariantCulture),
                'f' => PyOps.ToDouble(v).ToString("F" + Precision(spec, 6), CultureInfo.InvariantCulture),
                _ => throw Errors.Value($"unsupported format character '{conv}'"),
            };
            int width = Width(spec);
            sb.Append(spec.StartsWith('-') ? text.PadRight(width) : text.PadLeft(width));
        }
        if (next < values.Length)
            throw Errors.Type("not all arguments converted during string formatting");
        return sb.ToString();
    }

    private static int Precision(string spec, int fallback)
    {
        int dot = spec.IndexOf('.');
        return dot >= 0 && int.TryParse(spec[(dot + 1)..], out int p) ? p : fallback;
    }

    private static int Width(string spec)
    {
        string w = spec.TrimStart('-', '+', ' ', '#', '0');
        int dot = w.IndexOf('.');
        if (dot >= 0)
            w = w[..dot];
        return int.TryParse(w, out int n) ? n : 0;
    }
}
