using System.Text.Json;
using System.Text.Json.Nodes;

namespace EdgeLM.Benchmarks.Duel;

/// <summary>
/// A small JSON Schema validator: <c>type</c> (a name or a list of names), <c>required</c>, <c>properties</c>
/// (recursively), <c>items</c> and <c>enum</c>. Other keywords are ignored, as the specification says unknown
/// keywords must be. It reports every violation with its JSON path so a failing task can be explained.
/// </summary>
public sealed class JsonSchemaSubset
{
    private static readonly string[] s_types = ["object", "array", "string", "number", "integer", "boolean", "null"];
    private readonly JsonObject _schema;

    public JsonSchemaSubset(JsonNode schema)
    {
        _schema = schema as JsonObject ?? throw new FormatException("a JSON schema must be an object");
        CheckSchema(_schema, "$");
    }

    public IReadOnlyList<string> Validate(JsonNode? value)
    {
        var errors = new List<string>();
        Validate(_schema, value, "$", errors);
        return errors;
    }

    private static void Validate(JsonObject schema, JsonNode? value, string path, List<string> errors)
    {
        if (schema["type"] is JsonNode type)
        {
            var allowed = type is JsonArray list ? list.Select(t => t!.GetValue<string>()).ToArray() : [type.GetValue<string>()];
            string actual = TypeOf(value);
            bool ok = allowed.Contains(actual) || (actual == "integer" && allowed.Contains("number"));
            if (!ok)
            {
                errors.Add($"{path}: expected {string.Join(" or ", allowed)}, found {actual}");
                return;
            }
        }
        if (schema["enum"] is JsonArray options && !options.Any(o => JsonNode.DeepEquals(o, value)))
            errors.Add($"{path}: not one of the enum values");
        if (value is JsonObject obj)
        {
            if (schema["required"] is JsonArray required)
                foreach (var name in required.Select(n => n!.GetValue<string>()))
                    if (!obj.ContainsKey(name))
                        errors.Add($"{path}: missing required property '{name}'");
            if (schema["properties"] is JsonObject properties)
                foreach (var (name, sub) in properties)
                    if (obj.TryGetPropertyValue(name, out var child))
                        Validate((JsonObject)sub!, child, $"{path}.{name}", errors);
        }
        if (value is JsonArray array && schema["items"] is JsonObject items)
            for (int i = 0; i < array.Count; i++)
                Validate(items, array[i], $"{path}[{i}]", errors);
    }

    private static string TypeOf(JsonNode? value) => value switch
    {
        null => "null",
        JsonObject => "object",
        JsonArray => "array",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => "string",
            JsonValueKind.True or JsonValueKind.False => "boolean",
            JsonValueKind.Number => IsInteger(v) ? "integer" : "number",
            _ => "null",
        },
        _ => "null",
    };

    private static bool IsInteger(JsonValue v) => v.TryGetValue(out double d) && Math.Floor(d) == d && !double.IsInfinity(d);

    /// <summary>Rejects malformed schemas up front, where the configuration can be blamed, not at scoring time.</summary>
    private static void CheckSchema(JsonObject schema, string path)
    {
        if (schema["type"] is JsonNode type)
        {
            var names = type is JsonArray list ? list.Select(t => t?.GetValueKind() == JsonValueKind.String ? t.GetValue<string>() : null) : [type.GetValueKind() == JsonValueKind.String ? type.GetValue<string>() : null];
            foreach (var n in names)
                if (n is null || !s_types.Contains(n))
                    throw new FormatException($"schema {path}.type: '{n}' is not a JSON Schema type");
        }
        if (schema["required"] is JsonNode req && (req is not JsonArray ra || ra.Any(r => r?.GetValueKind() != JsonValueKind.String)))
            throw new FormatException($"schema {path}.required must be an array of strings");
        if (schema["properties"] is JsonNode props)
        {
            if (props is not JsonObject po)
                throw new FormatException($"schema {path}.properties must be an object");
            foreach (var (name, sub) in po)
                CheckSchema(sub as JsonObject ?? throw new FormatException($"schema {path}.properties.{name} must be an object"), $"{path}.properties.{name}");
        }
        if (schema["items"] is JsonNode items)
            CheckSchema(items as JsonObject ?? throw new FormatException($"schema {path}.items must be an object"), $"{path}.items");
    }
}
