namespace EdgeLM.Templates.Tests;

public sealed class WhitespaceControlTests
{
    [Fact]
    public void Trim_blocks_removes_the_newline_after_a_block_tag_but_not_after_a_print()
    {
        Assert.Equal("a\nb", Render.Of("{% if true %}\na\n{% endif %}\n{{ 'b' }}"));
        Assert.Equal("x\ny", Render.Of("{{ 'x' }}\ny"));
    }

    [Fact]
    public void Lstrip_blocks_removes_indentation_before_a_block_tag_only_at_line_start()
    {
        Assert.Equal("a\n", Render.Of("    {% if true %}\na\n    {% endif %}\n"));
        Assert.Equal("x  y", Render.Of("x  {% if true %}y{% endif %}"));
        Assert.Equal("  1", Render.Of("  {{ 1 }}"));
    }

    [Fact]
    public void Plus_modifier_disables_lstrip_for_one_tag()
    {
        Assert.Equal("  a", Render.Of("  {%+ if true %}a{% endif %}"));
    }

    [Fact]
    public void Minus_modifiers_strip_all_whitespace_including_newlines()
    {
        Assert.Equal("ab", Render.Of("a  \n\n  {{- 'b' -}}  \n\n"));
        Assert.Equal("ab", Render.Of("a\n  {%- if true -%}\n\n  b{% endif %}"));
        Assert.Equal("ab", Render.Of("a \n {#- comment -#} \n b"));
    }

    [Fact]
    public void One_trailing_newline_of_the_template_is_dropped()
    {
        Assert.Equal("x\n", Render.Of("x\n\n"));
        Assert.Equal("x", Render.Of("x\n"));
    }

    [Fact]
    public void Raw_block_outputs_its_body_verbatim()
    {
        Assert.Equal("{{ not_a_var }}", Render.Of("{% raw %}{{ not_a_var }}{% endraw %}"));
    }
}
