namespace EdgeLM.Templates.Values;

/// <summary>
/// Jinja2's lenient Undefined: prints as "", is falsy and iterates as empty, but most other uses
/// (attribute, item, call, arithmetic, ordering) raise the error it carries.
/// </summary>
internal sealed class Undefined
{
    public static readonly Undefined Plain = new("UndefinedError", "undefined value");

    public Undefined(string errorType, string message)
    {
        ErrorType = errorType;
        Message = message;
    }

    public string ErrorType { get; }

    public string Message { get; }

    public TemplateException Fail() => new(ErrorType, Message);

    public static Undefined Missing(string name) => new("UndefinedError", $"'{name}' is undefined");

    /// <summary>Jinja2's message for a missing attribute or item of <paramref name="owner"/>.</summary>
    public static Undefined NoMember(object? owner, object? key)
    {
        string ownerName = PyRepr.ObjectTypeRepr(owner);
        string message = key is string s
            ? $"{PyRepr.Repr(ownerName)} has no attribute {PyRepr.Repr(s)}"
            : $"{PyRepr.Repr(ownerName)} has no element {PyRepr.Repr(key)}";
        return new Undefined("UndefinedError", message);
    }

    /// <summary>The sandbox's answer for an unsafe attribute: reading is allowed, using it raises SecurityError.</summary>
    public static Undefined Unsafe(object? owner, string attribute) =>
        new("SecurityError", $"access to attribute {PyRepr.Repr(attribute)} of {PyRepr.Repr(PyRepr.TypeName(owner))} object is unsafe.");
}
