using System.Text;
using EdgeLM.Inference.Scheduling;

namespace EdgeLM.Server.Tests;

public sealed class JsonGrammarTests
{
    [Theory]
    [InlineData("{}")]
    [InlineData("{\"a\":1}")]
    [InlineData("{ \"a\" : [1, -2.5e+3, true, false, null, \"x\\\"y\\u00e9\"], \"b\": {\"c\": {}}}")]
    [InlineData("{\"é\":\"ü ✓\"}")]
    public void Complete_objects_are_accepted_and_complete(string json)
    {
        var g = new JsonGrammar();
        Assert.True(g.Feed(Encoding.UTF8.GetBytes(json)));
        Assert.True(g.IsComplete);
        Assert.False(g.Feed((byte)'x'));
    }

    [Theory]
    [InlineData("[1]")]
    [InlineData("{a:1}")]
    [InlineData("{\"a\" 1}")]
    [InlineData("{\"a\":01}")]
    [InlineData("{\"a\":tru }")]
    [InlineData("{\"a\":1,}")]
    [InlineData("{\"a\":[1 2]}")]
    [InlineData("{\"a\":\"\\q\"}")]
    [InlineData("{\"a\":1]")]
    [InlineData("{    \"a\":1}")]
    public void Invalid_text_is_rejected(string json)
    {
        var g = new JsonGrammar();
        Assert.False(g.Feed(Encoding.UTF8.GetBytes(json)) && g.IsComplete);
    }

    [Fact]
    public void A_prefix_is_accepted_but_not_complete()
    {
        var g = new JsonGrammar();
        Assert.True(g.Feed("{\"key\": [1, 2"u8));
        Assert.False(g.IsComplete);
    }
}
