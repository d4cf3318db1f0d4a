using FsCheck;
using FsCheck.Fluent;

namespace EdgeLM.Templates.Tests;

public sealed class ParsePropertyTests
{
    // Fragments of Jinja syntax make random strings reach deep into the lexer and parser.
    private static readonly string[] s_fragments =
    [
        "{{", "}}", "{%", "%}", "{#", "#}", "-", "+", "if", "for", "in", "endif", "endfor", "set", "=", "macro", "endmacro",
        "(", ")", "[", "]", "{", "}", "'", "\"", "\\", "|", "tojson", "is", "not", "defined", ".", ",", ":", "1", "x", " ", "\n", "else", "elif",
        "raw", "endraw", "~", "*", "**", "//", "%", "é", "🌦",
    ];

    [Fact]
    public void Parse_of_arbitrary_strings_either_succeeds_or_throws_TemplateException()
    {
        var fragmentStrings = Gen.ArrayOf(Gen.Elements(s_fragments)).Select(parts => string.Concat(parts));
        var anyStrings = ArbMap.Default.GeneratorFor<string>().Select(s => s ?? "");
        var gen = Gen.OneOf(fragmentStrings, anyStrings);
        Prop.ForAll(gen.ToArbitrary(), source =>
        {
            try
            {
                Template.Parse(source, "fuzz");
                return true;
            }
            catch (TemplateException)
            {
                return true;
            }
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(3000));
    }

    [Fact]
    public void Deeply_nested_expressions_fail_cleanly_instead_of_overflowing_the_stack()
    {
        string source = "{{ " + new string('(', 5000) + "1" + new string(')', 5000) + " }}";
        Assert.Throws<TemplateException>(() => Template.Parse(source));
        string nots = "{{ " + string.Concat(Enumerable.Repeat("not ", 5000)) + "1 }}";
        Assert.Throws<TemplateException>(() => Template.Parse(nots));
        string blocks = string.Concat(Enumerable.Repeat("{% if x %}", 5000));
        Assert.Throws<TemplateException>(() => Template.Parse(blocks));
    }
}
