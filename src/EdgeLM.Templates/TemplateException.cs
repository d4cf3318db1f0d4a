namespace EdgeLM.Templates;

/// <summary>
/// A template failed to parse or render. <see cref="ErrorType"/> and <see cref="Detail"/> follow the
/// Python/Jinja2 exception class and message (e.g. "TypeError", "'NoneType' object is not iterable"),
/// so callers can compare with what Hugging Face transformers reports for the same input.
/// </summary>
public sealed class TemplateException : Exception
{
    public TemplateException(string errorType, string detail, string? templateName = null, int line = 0, int column = 0, Exception? inner = null)
        : base(Format(errorType, detail, templateName, line, column), inner)
    {
        ErrorType = errorType;
        Detail = detail;
        TemplateName = templateName;
        Line = line;
        Column = column;
    }

    /// <summary>The Jinja2/Python exception class this error corresponds to ("TemplateSyntaxError", "UndefinedError", ...).</summary>
    public string ErrorType { get; }

    /// <summary>The message alone, without class or position (what Python's str(exception) gives).</summary>
    public string Detail { get; }

    public string? TemplateName { get; }

    /// <summary>1-based line of the failing construct, or 0 when unknown.</summary>
    public int Line { get; }

    /// <summary>1-based column of the failing construct, or 0 when unknown.</summary>
    public int Column { get; }

    /// <summary>"ErrorType: Detail", the form transformers' test data records.</summary>
    public string PythonStyle => ErrorType + ": " + Detail;

    internal bool HasPosition => Line > 0;

    internal TemplateException WithPosition(string? templateName, int line, int column) =>
        new(ErrorType, Detail, templateName, line, column, InnerException);

    private static string Format(string errorType, string detail, string? name, int line, int column)
    {
        string where = name ?? "<template>";
        return line > 0
            ? $"{where}:{line}:{column}: {errorType}: {detail}"
            : $"{where}: {errorType}: {detail}";
    }
}
