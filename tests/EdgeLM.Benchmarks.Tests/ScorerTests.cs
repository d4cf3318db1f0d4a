using System.Text.Json.Nodes;
using EdgeLM.Benchmarks.Duel;

namespace EdgeLM.Benchmarks.Tests;

public sealed class ScorerTests
{
    private static TaskExample Ex(string expected) => new("p", expected);

    [Fact]
    public void Exact_ignores_surrounding_whitespace_only()
    {
        var s = new ExactScorer();
        Assert.True(s.Accepts("negative", Ex(" negative")));
        Assert.False(s.Accepts(" Negative", Ex(" negative")));
        Assert.False(s.Accepts("negative.", Ex(" negative")));
    }

    [Fact]
    public void Contains_is_case_insensitive()
    {
        Assert.True(new ContainsScorer().Accepts("The answer is Positive!", Ex(" positive")));
        Assert.False(new ContainsScorer().Accepts("negative", Ex("positive")));
    }

    [Fact]
    public void Regex_uses_its_pattern_or_the_expected_text()
    {
        Assert.True(new RegexScorer(@"^\s*\d{3}$").Accepts("867", Ex("x")));
        Assert.False(new RegexScorer(@"^\s*\d{3}$").Accepts("86", Ex("x")));
        Assert.True(new RegexScorer().Accepts("colour", Ex("colou?r")));
        Assert.Throws<FormatException>(() => new RegexScorer("("));
    }

    [Fact]
    public void Numeric_takes_the_first_number_within_tolerance()
    {
        Assert.True(new NumericScorer().Accepts("The answer is 867.", Ex("867")));
        Assert.False(new NumericScorer().Accepts("866", Ex("867")));
        Assert.True(new NumericScorer(0.5).Accepts("866.6", Ex("867")));
        Assert.False(new NumericScorer(0.5).Accepts("no number", Ex("867")));
        Assert.True(new NumericScorer().Accepts("-4", Ex("-4")));
    }

    [Fact]
    public void Json_schema_checks_type_required_and_properties()
    {
        var schema = JsonNode.Parse("""{"type":"object","required":["name","age"],"properties":{"name":{"type":"string"},"age":{"type":"integer"},"tags":{"type":"array","items":{"type":"string"}}}}""")!;
        var s = new JsonSchemaScorer(schema);
        Assert.True(s.Accepts(""" {"name":"Kenji","age":62,"city":"Boston"}""", Ex("")));
        Assert.False(s.Accepts("""{"name":"Kenji"}""", Ex("")));
        Assert.False(s.Accepts("""{"name":"Kenji","age":"62"}""", Ex("")));
        Assert.False(s.Accepts("""{"name":"Kenji","age":62.5}""", Ex("")));
        Assert.False(s.Accepts("""{"name":"Kenji","age":62,"tags":[1]}""", Ex("")));
        Assert.False(s.Accepts("""{"name":"Kenji",""", Ex("")));
        Assert.False(s.Accepts("[]", Ex("")));
    }

    [Fact]
    public void Json_schema_reports_the_path_of_each_violation()
    {
        var v = new JsonSchemaSubset(JsonNode.Parse("""{"properties":{"a":{"properties":{"b":{"type":"number"}}}}}""")!);
        Assert.Equal(["$.a.b: expected number, found string"], v.Validate(JsonNode.Parse("""{"a":{"b":"x"}}""")));
    }

    [Fact]
    public void Malformed_schema_is_rejected_up_front()
    {
        Assert.Throws<FormatException>(() => new JsonSchemaSubset(JsonNode.Parse("""{"type":"thing"}""")!));
        Assert.Throws<FormatException>(() => new JsonSchemaSubset(JsonNode.Parse("""{"required":"name"}""")!));
    }

    [Fact]
    public void Built_in_packs_accept_their_own_expected_answers()
    {
        foreach (var pack in BuiltInPacks.All())
        {
            Assert.InRange(pack.Examples.Count, 10, 20);
            foreach (var e in pack.Examples)
                Assert.True(pack.IsCorrect(e.Expected, e), $"{pack.Name}: {e.Prompt}");
            Assert.False(pack.IsCorrect("nonsense", pack.Examples[0]));
        }
    }
}
