namespace EdgeLM.Templates.Tests;

/// <summary>Small helper: parse and render with variables given as name/value pairs.</summary>
internal static class Render
{
    public static string Of(string source, params (string Name, object? Value)[] variables) =>
        Template.Parse(source, "t.jinja").WithClock(FixedClock.Instance).Render(variables.ToDictionary(v => v.Name, v => v.Value));

    public static TemplateException Error(string source, params (string Name, object? Value)[] variables) =>
        Assert.Throws<TemplateException>(() => Of(source, variables));
}
