namespace EdgeLM.Templates.Runtime;

/// <summary>Factories for errors raised during rendering; the interpreter adds name and position later.</summary>
internal static class Errors
{
    public static TemplateException Type(string message) => new("TypeError", message);

    public static TemplateException Value(string message) => new("ValueError", message);

    public static TemplateException Runtime(string message) => new("TemplateRuntimeError", message);

    public static TemplateException Undefined(string message) => new("UndefinedError", message);

    public static TemplateException Security(string message) => new("SecurityError", message);
}
