using System.Globalization;
using System.Text;
using EdgeLM.Templates.Values;

namespace EdgeLM.Templates.Runtime;

/// <summary>Python's <c>str.format</c>: {} / {0} / {name} fields, {{ }} escapes, and simple specs (fill, align, width, .Nf, d).</summary>
internal static class StrFormat
{
    public static string Apply(string format, CallArguments args)
    {
        var sb = new StringBuilder();
        int auto = 0;
        for (int i = 0; i < format.Length; i++)
        {
            char c = format[i];
            if (c == '{')
            {
                if (i + 1 < format.Length && format[i + 1] == '{')
                {
                    sb.Append('{');
                    i++;
                    continue;
                }
                int close = format.IndexOf('}', i);
                if (close < 0)
                    throw Errors.Value("Single '{' encountered in format string");
                string field = format[(i + 1)..close];
                string spec = "";
                int colon = field.IndexOf(':');
                if (colon >= 0)
                {
                    spec = field[(colon + 1)..];
                    field = field[..colon];
                }
                int bang = field.IndexOf('!');
                char conversion = 's';
                if (bang >= 0)
                {
                    conversion = bang + 1 < field.Length ? field[bang + 1] : 's';
                    field = field[..bang];
                }
                object? value;
                if (field.Length == 0)
                {
                    value = Positional(args, auto++);
                }
                else if (int.TryParse(field, NumberStyles.None, CultureInfo.InvariantCulture, out int index))
                {
                    value = Positional(args, index);
                }
                else
                {
                    var found = args.Keywords.FirstOrDefault(kv => kv.Key == field);
                    if (found.Key is null)
                        throw new TemplateException("KeyError", PyRepr.Repr(field));
                    value = found.Value;
                }
                sb.Append(ApplySpec(value, spec, conversion));
                i = close;
            }
            else if (c == '}')
            {
                if (i + 1 < format.Length && format[i + 1] == '}')
                    i++;
                else
                    throw Errors.Value("Single '}' encountered in format string");
                sb.Append('}');
            }
            else
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }

    private static object? Positional(CallArguments args, int index)
    {
        if (index >= args.Positional.Count)
            throw new TemplateException("IndexError", $"Replacement index {index} out of range for positional args tuple");
        return args.Positional[index];
    }

    private static string ApplySpec(object? value, string spec, char conversion)
    {
        string text;
        if (spec.EndsWith('f') && PyOps.IsNumber(value))
        {
            int dot = spec.IndexOf('.');
            int precision = dot >= 0 && int.TryParse(spec[(dot + 1)..^1], out int p) ? p : 6;
            text = PyOps.ToDouble(value).ToString("F" + precision, CultureInfo.InvariantCulture);
            spec = dot >= 0 ? spec[..dot] : spec[..^1];
        }
        else
        {
            text = conversion == 'r' ? PyRepr.Repr(value) : PyRepr.Str(value);
            if (spec.EndsWith('d') || spec.EndsWith('s'))
                spec = spec[..^1];
        }
        if (spec.Length == 0)
            return text;
        char fill = ' ';
        char align = PyOps.IsNumber(value) ? '>' : '<';
        if (spec.Length >= 2 && "<>^".Contains(spec[1]))
        {
            fill = spec[0];
            align = spec[1];
            spec = spec[2..];
        }
        else if ("<>^".Contains(spec[0]))
        {
            align = spec[0];
            spec = spec[1..];
        }
        if (!int.TryParse(spec, out int width) || text.Length >= width)
            return text;
        int pad = width - text.Length;
        return align switch
        {
            '<' => text + new string(fill, pad),
            '>' => new string(fill, pad) + text,
            _ => new string(fill, pad / 2) + text + new string(fill, pad - pad / 2),
        };
    }
}
