using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeLM.Templates.Runtime;
using EdgeLM.Templates.Syntax;
using EdgeLM.Templates.Values;

namespace EdgeLM.Templates;

/// <summary>
/// A parsed Jinja2 chat template. Rendering follows Hugging Face transformers' environment:
/// trim_blocks, lstrip_blocks, loop controls, no autoescape, a sandbox that blocks mutating
/// methods, transformers' tojson, raise_exception and strftime_now.
/// </summary>
public sealed class Template
{
    private readonly IReadOnlyList<Stmt> _body;

    private Template(IReadOnlyList<Stmt> body, string? name)
    {
        _body = body;
        Name = name;
    }

    /// <summary>The name used in error messages (usually the file name).</summary>
    public string? Name { get; }

    /// <summary>The clock strftime_now reads; tests inject a fixed one.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Parses template source; syntax errors throw <see cref="TemplateException"/> with line and column.</summary>
    public static Template Parse(string source, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        try
        {
            return new Template(Parser.Parse(source, name), name);
        }
        catch (TemplateException)
        {
            throw;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new TemplateException("TemplateSyntaxError", e.Message, name, 0, 0, e);
        }
    }

    /// <summary>Returns a copy of this template that reads time from <paramref name="clock"/>.</summary>
    public Template WithClock(TimeProvider clock) => new(_body, Name) { Clock = clock };

    /// <summary>Renders with top-level variables given as .NET values (string, bool, long/int, double, lists, dictionaries, JSON nodes).</summary>
    public string Render(IReadOnlyDictionary<string, object?> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        return RenderCore(variables.Select(kv => new KeyValuePair<string, object?>(kv.Key, JsonValues.FromClr(kv.Value))));
    }

    /// <summary>Renders with the members of a JSON object as top-level variables (JSON null is a defined None).</summary>
    public string Render(JsonElement variables)
    {
        if (variables.ValueKind != JsonValueKind.Object)
            throw new ArgumentException($"template variables must be a JSON object, not {variables.ValueKind}", nameof(variables));
        return RenderCore(variables.EnumerateObject().Select(p => new KeyValuePair<string, object?>(p.Name, JsonValues.FromElement(p.Value))));
    }

    /// <summary>Renders with the members of a JSON object as top-level variables.</summary>
    public string Render(JsonObject variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        using var doc = JsonDocument.Parse(variables.ToJsonString());
        return Render(doc.RootElement);
    }

    private string RenderCore(IEnumerable<KeyValuePair<string, object?>> variables)
    {
        var interpreter = new Interpreter(Name, Clock);
        var globals = new Scope(null);
        Globals.Install(globals, interpreter);
        var context = new Scope(globals);
        foreach (var kv in variables)
            context.Set(kv.Key, kv.Value);
        try
        {
            return interpreter.Render(_body, context);
        }
        catch (TemplateException e) when (!e.HasPosition)
        {
            throw e.WithPosition(Name, 0, 0);
        }
        catch (TemplateException)
        {
            throw;
        }
        catch (InsufficientExecutionStackException e)
        {
            throw new TemplateException("RecursionError", "maximum recursion depth exceeded", Name, 0, 0, e);
        }
        catch (Exception e) when (e is InvalidCastException or ArgumentException or InvalidOperationException or IndexOutOfRangeException or FormatException or OverflowException)
        {
            // A value combination the engine does not model: still report it as a template error.
            throw new TemplateException("TemplateRuntimeError", e.Message, Name, 0, 0, e);
        }
    }
}
