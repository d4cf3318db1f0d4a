using EdgeLM.Benchmarks.Duel;

namespace EdgeLM.Benchmarks.Tests;

public sealed class ConfigTests
{
    [Fact]
    public void Config_reads_builtin_and_inline_tasks_and_providers()
    {
        var cfg = DuelConfig.Parse("""
            tasks:
              - sentiment
              - name: capitals
                max_tokens: 8
                scorers:
                  - contains
                  - type: regex
                    pattern: '^\s*[A-Z]'
                examples:
                  - {prompt: "Capital of France:", expected: "Paris"}
              - name: people
                scorer:
                  type: json_schema
                  schema:
                    type: object
                    required: [name]
                    properties: {age: {type: integer}}
                examples:
                  - {prompt: "x", expected: "y"}
            providers:
              - {name: tiny, model: a.gguf, threads: 2}
              - name: remote
                base_url: http://localhost:8080
                model: qwen
                api: chat
                api_key_env: MY_KEY
            """);
        Assert.Equal(["sentiment", "capitals", "people"], cfg.Packs.Select(p => p.Name));
        var capitals = cfg.Packs[1];
        Assert.Equal(8, capitals.MaxTokens);
        Assert.Equal(["contains", "regex"], capitals.Scorers.Select(s => s.Kind));
        Assert.True(capitals.IsCorrect(" Paris.", capitals.Examples[0]));
        Assert.False(capitals.IsCorrect(" paris", capitals.Examples[0]));
        var people = cfg.Packs[2];
        Assert.True(people.IsCorrect("""{"name":"A","age":3}""", people.Examples[0]));
        Assert.False(people.IsCorrect("""{"name":"A","age":"3"}""", people.Examples[0]));
        Assert.Equal(("local", 2), (cfg.Providers[0].Type, cfg.Providers[0].Threads));
        Assert.Equal(("openai", OpenAiApi.Chat, "MY_KEY"), (cfg.Providers[1].Type, cfg.Providers[1].Api, cfg.Providers[1].ApiKeyEnv));
    }

    [Fact]
    public void Missing_api_key_variable_is_named()
    {
        var cfg = DuelConfig.Parse("providers: [{name: r, base_url: 'http://x:1', model: m, api_key_env: EDGELM_TEST_UNSET_KEY}]");
        var e = Assert.Throws<ArgumentException>(() => cfg.Providers[0].Create(p => p, _ => null));
        Assert.Contains("EDGELM_TEST_UNSET_KEY", e.Message);
    }

    [Fact]
    public void No_tasks_means_the_builtin_packs() =>
        Assert.Equal(BuiltInPacks.Names, DuelConfig.Parse("providers: []").Packs.Select(p => p.Name));

    [Theory]
    [InlineData("tasks: [nosuchpack]", "nosuchpack")]
    [InlineData("tasks:\n  - name: t\n    examples: []", "duel.yaml:2:5: task 't' has no examples")]
    [InlineData("tasks:\n  - name: t\n    scorer: fuzzy\n    examples: [{prompt: a, expected: b}]", "3:13: unknown scorer 'fuzzy'")]
    [InlineData("providers:\n  - name: r\n    base_url: ftp://x\n    model: m", "not an http(s) URL")]
    [InlineData("providers: [{name: a}, {name: a}]", "unique")]
    [InlineData("tasks: [\n", "duel.yaml:")]
    [InlineData("- just\n- a list", "must be a mapping")]
    public void Bad_config_names_what_and_where(string yaml, string message)
    {
        var e = Assert.ThrowsAny<Exception>(() => DuelConfig.Parse(yaml));
        Assert.True(e is FormatException or KeyNotFoundException, e.GetType().Name);
        Assert.Contains(message, e.Message);
    }
}
