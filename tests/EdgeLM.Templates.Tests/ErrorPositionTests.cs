namespace EdgeLM.Templates.Tests;

public sealed class ErrorPositionTests
{
    [Fact]
    public void Syntax_error_reports_template_name_line_and_column()
    {
        var e = Assert.Throws<TemplateException>(() => Template.Parse("line one\n{% if x %}\n  {{ 1 + }}\n{% endif %}", "bad.jinja"));
        Assert.Equal("TemplateSyntaxError", e.ErrorType);
        Assert.Equal(3, e.Line);
        Assert.Equal(10, e.Column);
        Assert.StartsWith("bad.jinja:3:10:", e.Message);
    }

    [Fact]
    public void Unclosed_block_names_the_missing_end_tag()
    {
        var e = Assert.Throws<TemplateException>(() => Template.Parse("{% for x in y %}body", "t"));
        Assert.Contains("'endfor'", e.Message);
    }

    [Theory]
    [InlineData("{% foo %}")]
    [InlineData("{{ 'unterminated }}")]
    [InlineData("{# no end")]
    [InlineData("{{ a b }}")]
    [InlineData("{% endif %}")]
    [InlineData("{{ (1 }}")]
    [InlineData("{{ x is defined is none }}")]
    public void Malformed_templates_throw_template_syntax_errors(string source)
    {
        var e = Assert.Throws<TemplateException>(() => Template.Parse(source, "t"));
        Assert.Equal("TemplateSyntaxError", e.ErrorType);
        Assert.True(e.Line >= 1);
    }

    [Fact]
    public void Runtime_error_reports_the_line_and_column_of_the_failing_expression()
    {
        var e = Render.Error("ok\n{% for m in messages %}\n   {{ m + 1 }}\n{% endfor %}", ("messages", new List<object?> { "a" }));
        Assert.Equal("TypeError: can only concatenate str (not \"int\") to str", e.PythonStyle);
        Assert.Equal(3, e.Line);
        Assert.Equal(9, e.Column);
        Assert.Equal("t.jinja", e.TemplateName);
    }

    [Fact]
    public void Iterating_none_is_a_type_error()
    {
        var e = Render.Error("{% for t in tools %}{% endfor %}", ("tools", null));
        Assert.Equal("TypeError: 'NoneType' object is not iterable", e.PythonStyle);
    }

    [Fact]
    public void Runaway_macro_recursion_fails_with_a_template_error()
    {
        var e = Render.Error("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}");
        Assert.Equal("RecursionError", e.ErrorType);
    }
}
