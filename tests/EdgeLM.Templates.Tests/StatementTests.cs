namespace EdgeLM.Templates.Tests;

public sealed class StatementTests
{
    [Fact]
    public void For_loop_exposes_loop_variables_and_filters_items()
    {
        Assert.Equal("1/3:a>b|2/3:b<a>c|3/3:c<b|",
            Render.Of("{% for x in ['a', 'b', 'c'] %}{{ loop.index }}/{{ loop.length }}:{{ x }}{% if not loop.first %}<{{ loop.previtem }}{% endif %}{% if not loop.last %}>{{ loop.nextitem }}{% endif %}|{% endfor %}"));
        Assert.Equal("0:2,1:4,", Render.Of("{% for x in range(1, 5) if x is even %}{{ loop.index0 }}:{{ x }},{% endfor %}"));
    }

    [Fact]
    public void For_else_runs_only_when_nothing_was_iterated()
    {
        Assert.Equal("empty", Render.Of("{% for x in [] %}{{ x }}{% else %}empty{% endfor %}"));
    }

    [Fact]
    public void Break_and_continue_control_the_loop()
    {
        Assert.Equal("13", Render.Of("{% for x in range(10) %}{% if x == 4 %}{% break %}{% endif %}{% if x is even %}{% continue %}{% endif %}{{ x }}{% endfor %}"));
    }

    [Fact]
    public void Set_inside_a_loop_does_not_leak_but_namespace_attributes_do()
    {
        Assert.Equal("0|3", Render.Of("{% set n = 0 %}{% set ns = namespace(n=0) %}{% for x in range(3) %}{% set n = n + 1 %}{% set ns.n = ns.n + 1 %}{% endfor %}{{ n }}|{{ ns.n }}"));
    }

    [Fact]
    public void Tuple_unpacking_works_in_for_and_set()
    {
        var d = new Dictionary<string, object?> { ["a"] = 1L, ["b"] = 2L };
        Assert.Equal("a=1;b=2;|2 1", Render.Of("{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}|{% set x, y = 1, 2 %}{{ y }} {{ x }}", ("d", d)));
    }

    [Fact]
    public void Macros_take_defaults_and_keyword_arguments()
    {
        Assert.Equal("[a-b][x-y]", Render.Of("{% macro m(p, q='b') %}[{{ p }}-{{ q }}]{% endmacro %}{{ m('a') }}{{ m(q='y', p='x') }}"));
    }

    [Fact]
    public void Set_block_and_filter_block_capture_their_body()
    {
        Assert.Equal("HI|x", Render.Of("{% set s | upper %}hi{% endset %}{{ s }}|{% filter trim %}  x  {% endfilter %}"));
    }

    [Fact]
    public void Generation_tag_renders_its_body_unchanged()
    {
        Assert.Equal("ab", Render.Of("{% generation %}a{% endgeneration %}b"));
    }

    [Fact]
    public void Mutating_list_methods_are_blocked_by_the_sandbox()
    {
        var e = Render.Error("{% set l = [] %}{{ l.append(1) }}");
        Assert.Equal("SecurityError: access to attribute 'append' of 'list' object is unsafe.", e.PythonStyle);
    }

    [Fact]
    public void Raise_exception_throws_with_the_template_message()
    {
        var e = Render.Error("{{ raise_exception('Roles must alternate') }}");
        Assert.Equal("TemplateError", e.ErrorType);
        Assert.Contains("Roles must alternate", e.Message);
    }

    [Fact]
    public void Strftime_now_reads_the_injected_clock()
    {
        Assert.Equal("2026-01-15|15 Jan 2026|January 15, 2026", Render.Of("{{ strftime_now('%Y-%m-%d') }}|{{ strftime_now('%d %b %Y') }}|{{ strftime_now('%B %d, %Y') }}"));
    }
}
