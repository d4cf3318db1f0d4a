using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace EdgeLM.Benchmarks.Duel;

/// <summary>A provider as configured; <see cref="Create"/> opens it.</summary>
public sealed record ProviderSpec(string Name, string Type, string? Model, string? BaseUrl, string? ApiKeyEnv, OpenAiApi Api, int Threads, double TimeoutSeconds)
{
    public IDuelProvider Create(Func<string, string> resolveModel, Func<string, string?> environment)
    {
        if (Type == "local")
            return new LocalModelProvider(Name, resolveModel(Model ?? ""), Threads);
        string? key = null;
        if (ApiKeyEnv is not null)
            key = environment(ApiKeyEnv) ?? throw new ArgumentException($"provider '{Name}': environment variable {ApiKeyEnv} (api_key_env) is not set");
        return new OpenAiProvider(Name, new Uri(BaseUrl!), Model!, key, Api, TimeSpan.FromSeconds(TimeoutSeconds));
    }
}

/// <summary>
/// duel.yaml: the task packs (built-in names or inline tasks with examples and scorers) and the providers.
/// Read through YamlDotNet's representation model (no reflection, NativeAOT-safe); every error names the line
/// and column of the offending node.
/// </summary>
public sealed record DuelConfig(IReadOnlyList<TaskPack> Packs, IReadOnlyList<ProviderSpec> Providers)
{
    public static DuelConfig Load(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"duel config {path} does not exist", path);
        return Parse(File.ReadAllText(path), path);
    }

    public static DuelConfig Parse(string yaml, string source = "duel.yaml")
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new FormatException($"{source}:{e.Start.Line}:{e.Start.Column}: {e.Message}", e);
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new FormatException($"{source}: the config must be a mapping with 'tasks' and 'providers'");
        var reader = new Reader(source);
        var packs = new List<TaskPack>();
        if (reader.Optional(root, "tasks") is YamlNode tasks)
            foreach (var t in reader.Sequence(tasks, "tasks"))
                packs.Add(t is YamlScalarNode name ? BuiltInPacks.Get(name.Value ?? "") : reader.Pack(t));
        else
            packs.AddRange(BuiltInPacks.All());
        var providers = new List<ProviderSpec>();
        if (reader.Optional(root, "providers") is YamlNode list)
            foreach (var p in reader.Sequence(list, "providers"))
                providers.Add(reader.Provider(p));
        if (providers.Select(p => p.Name).Distinct().Count() != providers.Count)
            throw new FormatException($"{source}: provider names must be unique");
        return new DuelConfig(packs, providers);
    }

    private sealed class Reader(string source)
    {
        public FormatException Error(YamlNode node, string message) => new($"{source}:{node.Start.Line}:{node.Start.Column}: {message}");

        public YamlNode? Optional(YamlMappingNode map, string key) =>
            map.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;

        public string? String(YamlMappingNode map, string key) => Optional(map, key) switch
        {
            null => null,
            YamlScalarNode s => s.Value,
            var other => throw Error(other, $"'{key}' must be a scalar"),
        };

        public string Required(YamlMappingNode map, string key) => String(map, key) ?? throw Error(map, $"'{key}' is required");

        public double Number(YamlMappingNode map, string key, double fallback)
        {
            string? s = String(map, key);
            if (s is null)
                return fallback;
            return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : throw Error(Optional(map, key)!, $"'{key}' must be a number, not '{s}'");
        }

        public IEnumerable<YamlNode> Sequence(YamlNode node, string what) =>
            node as YamlSequenceNode ?? throw Error(node, $"'{what}' must be a list");

        public YamlMappingNode Mapping(YamlNode node, string what) =>
            node as YamlMappingNode ?? throw Error(node, $"{what} must be a mapping");

        public TaskPack Pack(YamlNode node)
        {
            var map = Mapping(node, "a task");
            string name = Required(map, "name");
            var examples = new List<TaskExample>();
            foreach (var e in Sequence(Optional(map, "examples") ?? throw Error(map, $"task '{name}' needs 'examples'"), "examples"))
            {
                var em = Mapping(e, "an example");
                examples.Add(new TaskExample(Required(em, "prompt"), Required(em, "expected")));
            }
            if (examples.Count == 0)
                throw Error(map, $"task '{name}' has no examples");
            var scorers = new List<IScorer>();
            var scorerNode = Optional(map, "scorer") ?? Optional(map, "scorers");
            IEnumerable<YamlNode> scorerNodes = scorerNode switch
            {
                null => [],
                YamlSequenceNode seq => seq,
                _ => [scorerNode],
            };
            foreach (var s in scorerNodes)
                scorers.Add(Scorer(s));
            if (scorers.Count == 0)
                scorers.Add(new ExactScorer());
            int maxTokens = (int)Number(map, "max_tokens", 40);
            if (maxTokens < 1 || maxTokens > 4096)
                throw Error(map, "'max_tokens' must be 1..4096");
            return new TaskPack(name, examples, scorers, maxTokens);
        }

        private IScorer Scorer(YamlNode node)
        {
            if (node is YamlScalarNode plain)
                return Kind(node, plain.Value ?? "", null);
            var map = Mapping(node, "a scorer");
            return Kind(node, Required(map, "type"), map);
        }

        private IScorer Kind(YamlNode node, string type, YamlMappingNode? map)
        {
            try
            {
                return type switch
                {
                    "exact" => new ExactScorer(),
                    "contains" => new ContainsScorer(),
                    "regex" => new RegexScorer(map is null ? null : String(map, "pattern")),
                    "numeric" => new NumericScorer(map is null ? 0 : Number(map, "tolerance", 0)),
                    "json_schema" => new JsonSchemaScorer(map is not null && Optional(map, "schema") is YamlNode schema
                        ? ToJson(schema)
                        : new JsonObject()),
                    _ => throw Error(node, $"unknown scorer '{type}' (exact, contains, regex, json_schema, numeric)"),
                };
            }
            catch (Exception e) when (e is FormatException or ArgumentException && !e.Message.StartsWith(source, StringComparison.Ordinal))
            {
                throw Error(node, e.Message);
            }
        }

        /// <summary>YAML → JSON for inline schemas; plain scalars that read as numbers or booleans become those.</summary>
        private static JsonNode? ToJson(YamlNode node) => node switch
        {
            YamlMappingNode m => new JsonObject(m.Children.Select(kv => KeyValuePair.Create(((YamlScalarNode)kv.Key).Value!, ToJson(kv.Value)))),
            YamlSequenceNode s => new JsonArray(s.Children.Select(ToJson).ToArray()),
            YamlScalarNode { Style: ScalarStyle.Plain, Value: "true" or "false" } b => JsonValue.Create(b.Value == "true"),
            YamlScalarNode { Style: ScalarStyle.Plain } n when double.TryParse(n.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) => JsonValue.Create(d),
            YamlScalarNode v => JsonValue.Create(v.Value),
            _ => null,
        };

        public ProviderSpec Provider(YamlNode node)
        {
            var map = Mapping(node, "a provider");
            string name = Required(map, "name");
            string type = String(map, "type") ?? (String(map, "base_url") is null ? "local" : "openai");
            var api = (String(map, "api") ?? "completions") switch
            {
                "completions" => OpenAiApi.Completions,
                "chat" => OpenAiApi.Chat,
                var other => throw Error(map, $"provider '{name}': api must be completions or chat, not '{other}'"),
            };
            int threads = (int)Number(map, "threads", 0);
            double timeout = Number(map, "timeout_s", 120);
            switch (type)
            {
                case "local":
                    return new ProviderSpec(name, type, String(map, "model"), null, null, api, threads, timeout);
                case "openai":
                    string url = Required(map, "base_url");
                    if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
                        throw Error(map, $"provider '{name}': base_url '{url}' is not an http(s) URL");
                    return new ProviderSpec(name, type, Required(map, "model"), url, String(map, "api_key_env"), api, threads, timeout);
                default:
                    throw Error(map, $"provider '{name}': type must be local or openai, not '{type}'");
            }
        }
    }
}
