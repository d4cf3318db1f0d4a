using EdgeLM.Templates.Values;

namespace EdgeLM.Templates.Runtime;

/// <summary>Jinja2's built-in tests (<c>x is defined</c>, <c>x is string</c>, ...), with Python's type rules.</summary>
internal static class Tests
{
    public static bool Exists(string name) => name is "defined" or "undefined" or "none" or "boolean" or "false" or "true"
        or "integer" or "float" or "number" or "string" or "mapping" or "iterable" or "sequence" or "callable"
        or "sameas" or "escaped" or "in" or "eq" or "equalto" or "==" or "ne" or "!=" or "lt" or "lessthan" or "<"
        or "le" or "<=" or "gt" or "greaterthan" or ">" or "ge" or ">=" or "odd" or "even" or "divisibleby"
        or "lower" or "upper" or "filter" or "test";

    public static bool Apply(string name, object? value, CallArguments args, Interpreter interpreter)
    {
        object? Arg() => args.Positional.Count > 0 ? args.Positional[0] : args.Keywords.Count > 0 ? args.Keywords[0].Value : throw Errors.Type($"test '{name}' needs an argument");
        switch (name)
        {
            case "defined": return value is not Undefined;
            case "undefined": return value is Undefined;
            case "none": return value is null;
            case "boolean": return value is bool;
            case "false": return value is false;
            case "true": return value is true;
            case "integer": return value is long;
            case "float": return value is double;
            case "number": return value is long or double or bool;
            case "string": return value is string or Markup;
            case "mapping": return value is PyDict;
            case "iterable": return value is string or Markup or List<object?> or object?[] or PyDict or Undefined or PyGenerator;
            case "sequence": return value is string or Markup or List<object?> or object?[] or PyDict or Undefined;
            case "callable": return value is PyFunction or LoopInfo { Recurse: not null };
            case "sameas": return ReferenceEquals(value, Arg()) || (value is null && Arg() is null) || (value is bool a && Arg() is bool b && a == b);
            case "escaped": return value is Markup;
            case "in": return PyOps.Contains(Arg(), value);
            case "eq" or "equalto" or "==": return PyOps.AreEqual(value, Arg());
            case "ne" or "!=": return !PyOps.AreEqual(value, Arg());
            case "lt" or "lessthan" or "<": return PyOps.Compare(value, Arg(), "<") < 0;
            case "le" or "<=": return PyOps.Compare(value, Arg(), "<=") <= 0;
            case "gt" or "greaterthan" or ">": return PyOps.Compare(value, Arg(), ">") > 0;
            case "ge" or ">=": return PyOps.Compare(value, Arg(), ">=") >= 0;
            case "odd": return PyOps.IsTrue(PyOps.Arithmetic(value, 2L, "%"));
            case "even": return !PyOps.IsTrue(PyOps.Arithmetic(value, 2L, "%"));
            case "divisibleby": return !PyOps.IsTrue(PyOps.Arithmetic(value, Arg(), "%"));
            case "lower": return PyRepr.Str(value) is var s && s == s.ToLowerInvariant();
            case "upper": return PyRepr.Str(value) is var u && u == u.ToUpperInvariant();
            case "filter": return Filters.Exists(PyRepr.Str(value));
            case "test": return Exists(PyRepr.Str(value));
        }
        _ = interpreter;
        throw Errors.Runtime($"No test named {PyRepr.Repr(name)} found.");
    }
}
