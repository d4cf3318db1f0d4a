namespace EdgeLM.Templates.Tests;

public sealed class ExpressionTests
{
    [Theory]
    [InlineData("{{ 7 // 2 }}|{{ -7 // 2 }}|{{ 7 % 3 }}|{{ -7 % 3 }}", "3|-4|1|2")]
    [InlineData("{{ 1 / 2 }}|{{ 4 / 2 }}|{{ 2 ** 10 }}", "0.5|2.0|1024")]
    [InlineData("{{ 1 + 2 * 3 }}|{{ (1 + 2) * 3 }}|{{ 'ab' * 3 }}", "7|9|ababab")]
    [InlineData("{{ 1e16 }}|{{ 0.0001 }}|{{ 0.00001 }}|{{ 1.5 }}", "1e+16|0.0001|1e-05|1.5")]
    [InlineData("{{ 1 < 2 < 3 }}|{{ 3 > 2 > 2 }}|{{ 'b' in 'abc' }}|{{ 2 not in [1, 3] }}", "True|False|True|True")]
    [InlineData("{{ none }}|{{ None }}|{{ true }}|{{ False }}", "None|None|True|False")]
    [InlineData("{{ 0 or 'x' }}|{{ 1 and 'y' }}|{{ not 0 }}", "x|y|True")]
    [InlineData("{{ 'a' if false }}|{{ 'a' if true else 'b' }}", "|a")]
    [InlineData("{{ 'a' ~ 1 ~ none ~ undefined_thing }}", "a1None")]
    [InlineData("{{ [1, 'a', none, true] }}|{{ {'k': \"it's\"} }}|{{ (1,) }}", "[1, 'a', None, True]|{'k': \"it's\"}|(1,)")]
    [InlineData("{{ 'abcdef'[1:4] }}|{{ 'abcdef'[::-1] }}|{{ [1,2,3,4][-2:] }}|{{ [1,2,3,4][::2] }}", "bcd|fedcba|[3, 4]|[1, 3]")]
    [InlineData("{{ 'a\\tb\\n' | length }}|{{ 'x' 'y' }}|{{ '\\u00e9' }}", "4|xy|é")]
    public void Expressions_follow_python_semantics(string source, string expected)
    {
        Assert.Equal(expected, Render.Of(source));
    }

    [Fact]
    public void Undefined_renders_empty_is_falsy_and_chains_attribute_access_once()
    {
        Assert.Equal("|no|0", Render.Of("{{ missing }}|{{ 'yes' if missing else 'no' }}|{{ missing | length }}"));
        Assert.Equal("", Render.Of("{{ d.missing }}", ("d", new Dictionary<string, object?>())));
        var e = Render.Error("{{ missing.attr }}");
        Assert.Equal("UndefinedError: 'missing' is undefined", e.PythonStyle);
    }

    [Fact]
    public void Attribute_access_on_a_dict_prefers_methods_and_subscript_prefers_keys()
    {
        var d = new Dictionary<string, object?> { ["items"] = "key", ["a"] = 1 };
        Assert.Equal("key|[('items', 'key'), ('a', 1)]", Render.Of("{{ d['items'] }}|{{ d.items() | list }}", ("d", d)));
    }

    [Fact]
    public void String_plus_non_string_raises_python_type_error()
    {
        var e = Render.Error("{{ 'a' + 1 }}");
        Assert.Equal("TypeError: can only concatenate str (not \"int\") to str", e.PythonStyle);
    }

    [Fact]
    public void Markup_plus_string_escapes_the_plain_operand()
    {
        Assert.Equal("<b>&lt;i&gt;", Render.Of("{{ '<b>' | safe + '<i>' }}"));
    }

    [Fact]
    public void String_methods_behave_like_python()
    {
        Assert.Equal("['a', 'b c']|xx|True|a-b|[' a', 'b ']",
            Render.Of("{{ 'a b c'.split(' ', 1) }}|{{ '  xx \\n'.strip() }}|{{ 'abc'.endswith(('x', 'c')) }}|{{ '{}-{}'.format('a', 'b') }}|{{ ' a,b '.split(',') }}"));
    }
}
