using System.Globalization;
using System.Text;

namespace EdgeLM.Templates.Values;

/// <summary>Python's str() and repr() of template values, which show up verbatim in rendered output.</summary>
internal static class PyRepr
{
    /// <summary>Python str(): what {{ x }}, ~ and |string produce.</summary>
    public static string Str(object? value) => value switch
    {
        null => "None",
        string s => s,
        Markup m => m.Text,
        Undefined => "",
        bool b => b ? "True" : "False",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => FloatRepr(d),
        _ => Repr(value),
    };

    public static string Repr(object? value)
    {
        var sb = new StringBuilder();
        AppendRepr(sb, value, 0);
        return sb.ToString();
    }

    private static void AppendRepr(StringBuilder sb, object? value, int depth)
    {
        if (depth > 200)
            throw Runtime.Errors.Runtime("maximum recursion depth exceeded while getting the repr of an object");
        switch (value)
        {
            case string s:
                AppendStringRepr(sb, s);
                break;
            case Markup m:
                sb.Append("Markup(");
                AppendStringRepr(sb, m.Text);
                sb.Append(')');
                break;
            case List<object?> list:
                sb.Append('[');
                for (int i = 0; i < list.Count; i++)
                {
                    if (i > 0)
                        sb.Append(", ");
                    AppendRepr(sb, list[i], depth + 1);
                }
                sb.Append(']');
                break;
            case object?[] tuple:
                sb.Append('(');
                for (int i = 0; i < tuple.Length; i++)
                {
                    if (i > 0)
                        sb.Append(", ");
                    AppendRepr(sb, tuple[i], depth + 1);
                }
                sb.Append(tuple.Length == 1 ? ",)" : ")");
                break;
            case PyDict dict:
                sb.Append('{');
                bool first = true;
                foreach (var kv in dict.Items)
                {
                    if (!first)
                        sb.Append(", ");
                    first = false;
                    AppendRepr(sb, kv.Key, depth + 1);
                    sb.Append(": ");
                    AppendRepr(sb, kv.Value, depth + 1);
                }
                sb.Append('}');
                break;
            case NamespaceObject ns:
                sb.Append("<Namespace ");
                AppendRepr(sb, ns.Attributes, depth + 1);
                sb.Append('>');
                break;
            case Undefined:
                sb.Append("Undefined");
                break;
            case PyGenerator:
                sb.Append("<generator object at 0x7f0000000000>");
                break;
            case PyFunction f:
                sb.Append(f.Kind == "macro" ? $"<Macro '{f.Name}'>" : $"<built-in method {f.Name}>");
                break;
            case LoopInfo:
                sb.Append("<LoopContext>");
                break;
            default:
                sb.Append(Str(value));
                break;
        }
    }

    /// <summary>Python's string repr: single quotes unless the text has ' and no ", non-printables escaped.</summary>
    private static void AppendStringRepr(StringBuilder sb, string s)
    {
        char quote = s.Contains('\'') && !s.Contains('"') ? '"' : '\'';
        sb.Append(quote);
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            if (c == quote || c == '\\')
            {
                sb.Append('\\').Append(c);
                continue;
            }
            switch (c)
            {
                case '\n': sb.Append("\\n"); continue;
                case '\r': sb.Append("\\r"); continue;
                case '\t': sb.Append("\\t"); continue;
            }
            if (Rune.DecodeFromUtf16(s.AsSpan(i), out Rune rune, out int used) != System.Buffers.OperationStatus.Done)
            {
                sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                continue;
            }
            if (IsPrintable(rune))
            {
                sb.Append(s, i, used);
            }
            else if (rune.Value <= 0xff)
            {
                sb.Append("\\x").Append(rune.Value.ToString("x2", CultureInfo.InvariantCulture));
            }
            else if (rune.Value <= 0xffff)
            {
                sb.Append("\\u").Append(rune.Value.ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append("\\U").Append(rune.Value.ToString("x8", CultureInfo.InvariantCulture));
            }
            i += used - 1;
        }
        sb.Append(quote);
    }

    // Python's str.isprintable: everything except categories Cc, Cf, Cs, Co, Cn, Zl, Zp and Zs other than ' '.
    private static bool IsPrintable(Rune rune)
    {
        if (rune.Value == ' ')
            return true;
        return Rune.GetUnicodeCategory(rune) switch
        {
            UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate
                or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned
                or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
                or UnicodeCategory.SpaceSeparator => false,
            _ => true,
        };
    }

    /// <summary>Python's float repr: shortest round-trip digits, fixed notation for 1e-4 &lt;= |x| &lt; 1e16.</summary>
    public static string FloatRepr(double d)
    {
        if (double.IsNaN(d))
            return "nan";
        if (double.IsInfinity(d))
            return d > 0 ? "inf" : "-inf";
        if (d == 0)
            return double.IsNegative(d) ? "-0.0" : "0.0";
        string shortest = Math.Abs(d).ToString("R", CultureInfo.InvariantCulture);
        // Extract the shortest digit string and the decimal exponent from the round-trip form.
        string mantissa = shortest;
        int exp = 0;
        int e = shortest.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            mantissa = shortest[..e];
            exp = int.Parse(shortest[(e + 1)..], CultureInfo.InvariantCulture);
        }
        int dot = mantissa.IndexOf('.');
        string digits = dot >= 0 ? mantissa.Remove(dot, 1) : mantissa;
        int pointPos = (dot >= 0 ? dot : mantissa.Length) + exp;
        int lead = 0;
        while (lead < digits.Length - 1 && digits[lead] == '0')
        {
            lead++;
            pointPos--;
        }
        digits = digits[lead..].TrimEnd('0');
        if (digits.Length == 0)
            digits = "0";
        int sciExp = pointPos - 1;
        var sb = new StringBuilder();
        if (d < 0)
            sb.Append('-');
        if (sciExp >= -4 && sciExp < 16)
        {
            if (pointPos <= 0)
            {
                sb.Append("0.").Append('0', -pointPos).Append(digits);
            }
            else if (pointPos >= digits.Length)
            {
                sb.Append(digits).Append('0', pointPos - digits.Length).Append(".0");
            }
            else
            {
                sb.Append(digits, 0, pointPos).Append('.').Append(digits, pointPos, digits.Length - pointPos);
            }
        }
        else
        {
            sb.Append(digits[0]);
            if (digits.Length > 1)
                sb.Append('.').Append(digits, 1, digits.Length - 1);
            sb.Append('e').Append(sciExp < 0 ? '-' : '+').Append(Math.Abs(sciExp).ToString("00", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    /// <summary>Python's type(x).__name__.</summary>
    public static string TypeName(object? value) => value switch
    {
        null => "NoneType",
        string => "str",
        Markup => "Markup",
        bool => "bool",
        long => "int",
        double => "float",
        List<object?> => "list",
        object?[] => "tuple",
        PyDict => "dict",
        NamespaceObject => "Namespace",
        Undefined => "Undefined",
        PyGenerator => "generator",
        PyFunction f => f.Kind == "macro" ? "Macro" : "builtin_function_or_method",
        LoopInfo => "LoopContext",
        _ => value.GetType().Name,
    };

    /// <summary>jinja2.utils.object_type_repr, used in "'dict object' has no attribute ..." messages.</summary>
    public static string ObjectTypeRepr(object? value) => value switch
    {
        null => "None",
        NamespaceObject => "jinja2.utils.Namespace object",
        Markup => "markupsafe.Markup object",
        LoopInfo => "jinja2.runtime.LoopContext object",
        PyFunction { Kind: "macro" } => "jinja2.runtime.Macro object",
        _ => TypeName(value) + " object",
    };
}
