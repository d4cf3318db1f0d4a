using System.Text.Json;

namespace EdgeLM.Templates.Tests;

public sealed class FilterTests
{
    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    [Fact]
    public void Tojson_uses_python_separators_indent_and_ensure_ascii()
    {
        var v = Json("{\"x\": {\"a\": [1, \"é\\u0001\"], \"b\": {}}}");
        var t = Template.Parse("{{ x | tojson }}\n{{ x | tojson(indent=2) }}\n{{ x | tojson(ensure_ascii=true) }}");
        Assert.Equal(
            "{\"a\": [1, \"é\\u0001\"], \"b\": {}}\n{\n  \"a\": [\n    1,\n    \"é\\u0001\"\n  ],\n  \"b\": {}\n}\n{\"a\": [1, \"\\u00e9\\u0001\"], \"b\": {}}",
            t.Render(v));
    }

    [Fact]
    public void Tojson_of_a_generator_is_a_type_error()
    {
        var e = Render.Error("{{ [1] | map('string') | tojson }}");
        Assert.Equal("TypeError: Object of type generator is not JSON serializable", e.PythonStyle);
    }

    [Theory]
    [InlineData("{{ missing | default('d') }}|{{ '' | default('d', true) }}|{{ '' | default('d') }}", "d|d|")]
    [InlineData("{{ ['b', 'A', 'c'] | sort | join(',') }}|{{ [3, 1] | max }}|{{ [3, 1] | min }}", "A,b,c|3|1")]
    [InlineData("{{ {'b': 1, 'a': 2} | dictsort }}", "[('a', 2), ('b', 1)]")]
    [InlineData("{{ 'a\\nb' | indent(2, first=true) }}|{{ ' x ' | trim }}|{{ 'Hello World' | lower | upper }}", "  a\n  b|x|HELLO WORLD")]
    [InlineData("{{ ['a', 'b', 'a'] | unique | list }}|{{ [1, 2, 3] | reject('equalto', 2) | list }}|{{ '12' | int + 1 }}", "['a', 'b']|[1, 3]|13")]
    [InlineData("{{ 'aXbX' | replace('X', '-') }}|{{ [1,2,3] | first }}{{ [1,2,3] | last }}|{{ [1, 2] | sum }}", "a-b-|13|3")]
    public void Filters_match_jinja2(string source, string expected)
    {
        Assert.Equal(expected, Render.Of(source));
    }

    [Fact]
    public void Selectattr_and_map_attribute_walk_lists_of_dicts()
    {
        var v = Json("{\"m\": [{\"role\": \"user\", \"n\": 1}, {\"role\": \"system\", \"n\": 2}, {\"role\": \"user\", \"n\": 3}]}");
        Assert.Equal("[1, 3]|2", Template.Parse("{{ m | selectattr('role', 'equalto', 'user') | map(attribute='n') | list }}|{{ m | rejectattr('role', 'equalto', 'user') | map(attribute='n') | join }}").Render(v));
    }

    [Fact]
    public void Unknown_filter_fails_only_when_reached()
    {
        Assert.Equal("ok", Render.Of("{% if false %}{{ x | from_json }}{% endif %}ok"));
        var e = Render.Error("{{ '{}' | from_json }}");
        Assert.Equal("TemplateRuntimeError: No filter named 'from_json' found.", e.PythonStyle);
    }
}
