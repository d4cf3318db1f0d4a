using System.Text.Json;
using System.Text.Json.Nodes;

namespace EdgeLM.Benchmarks.Duel;

/// <summary>The output, trimmed, is one JSON value that satisfies the schema (see <see cref="JsonSchemaSubset"/>).</summary>
public sealed class JsonSchemaScorer(JsonNode schema) : IScorer
{
    private readonly JsonSchemaSubset _schema = new(schema);

    public string Kind => "json_schema";

    public bool Accepts(string output, TaskExample example)
    {
        JsonNode? value;
        try
        {
            value = JsonNode.Parse(output.Trim());
        }
        catch (JsonException)
        {
            return false;
        }
        return _schema.Validate(value).Count == 0;
    }
}
