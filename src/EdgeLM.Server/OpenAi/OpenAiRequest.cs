using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeLM.Inference.Sampling;
using EdgeLM.Server.Http;
using EdgeLM.Templates;

namespace EdgeLM.Server.OpenAi;

/// <summary>Reads the fields /v1/chat/completions and /v1/completions share, validating types and ranges.</summary>
public static class OpenAiRequest
{
    public static GenerationParameters Parameters(JsonObject body, bool chat)
    {
        var defaults = new SamplerOptions();
        long? maxTokens = JsonFields.Integer(body, "max_completion_tokens", 1, GenerationParameters.MaxTokensLimit)
            ?? JsonFields.Integer(body, "max_tokens", 1, GenerationParameters.MaxTokensLimit);
        if (JsonFields.Integer(body, "n", 1, 1) is null && body["n"] is not null)
            throw ApiException.BadRequest("'n' must be 1", "n");
        var stop = JsonFields.StringOrArray(body, "stop", 16) ?? [];
        int topLogprobs = -1;
        if (chat)
        {
            if (JsonFields.Bool(body, "logprobs") == true)
                topLogprobs = (int)(JsonFields.Integer(body, "top_logprobs", 0, 20) ?? 0);
            else if (body["top_logprobs"] is not null)
                throw ApiException.BadRequest("'top_logprobs' needs 'logprobs': true", "top_logprobs");
        }
        else if (JsonFields.Integer(body, "logprobs", 0, 20) is long lp)
            topLogprobs = (int)lp;
        bool json = false;
        if (JsonFields.Object(body, "response_format") is { } format)
        {
            string? type = JsonFields.String(format, "type", "response_format.type");
            json = type switch
            {
                "json_object" or "json_schema" => true,
                "text" or null => false,
                _ => throw ApiException.BadRequest($"response_format.type '{type}' is not supported (text, json_object, json_schema)", "response_format"),
            };
        }
        var sampler = new SamplerOptions
        {
            Temperature = (float)(JsonFields.Number(body, "temperature", 0, 2) ?? defaults.Temperature),
            TopP = (float)(JsonFields.Number(body, "top_p", 0, 1) ?? defaults.TopP),
            TopK = (int)(JsonFields.Integer(body, "top_k", 0, 1_000_000) ?? defaults.TopK),
            MinP = (float)(JsonFields.Number(body, "min_p", 0, 1) ?? defaults.MinP),
            FrequencyPenalty = (float)(JsonFields.Number(body, "frequency_penalty", -2, 2) ?? 0),
            PresencePenalty = (float)(JsonFields.Number(body, "presence_penalty", -2, 2) ?? 0),
            RepeatPenalty = (float)(JsonFields.Number(body, "repeat_penalty", 0.01, 10) ?? 1),
            Seed = JsonFields.Integer(body, "seed", long.MinValue, long.MaxValue) is long seed ? unchecked((int)seed) : null,
        };
        if (sampler.TopP <= 0)
            sampler = sampler with { TopP = 1e-6f };
        return new GenerationParameters
        {
            Sampler = sampler,
            MaxTokens = maxTokens is long m ? (int)m : null,
            Stop = stop,
            TopLogprobs = topLogprobs,
            JsonObject = json,
            IgnoreEos = JsonFields.Bool(body, "ignore_eos") ?? false,
        };
    }

    /// <summary>OpenAI messages → template messages (developer is system; text parts are joined; tool call arguments become objects).</summary>
    public static List<ChatMessage> Messages(JsonObject body)
    {
        var array = JsonFields.Array(body, "messages") ?? throw ApiException.BadRequest("'messages' is required", "messages");
        if (array.Count == 0)
            throw ApiException.BadRequest("'messages' must contain at least one message", "messages");
        if (array.Count > 4096)
            throw ApiException.BadRequest("'messages' has too many items (at most 4096)", "messages");
        var list = new List<ChatMessage>();
        for (int i = 0; i < array.Count; i++)
        {
            string param = $"messages[{i}]";
            if (array[i] is not JsonObject m)
                throw ApiException.BadRequest($"'{param}' must be an object", param);
            string role = JsonFields.String(m, "role", param + ".role") ?? throw ApiException.BadRequest($"'{param}.role' is required", param + ".role");
            if (role == "developer")
                role = "system";
            if (role is not ("system" or "user" or "assistant" or "tool"))
                throw ApiException.BadRequest($"'{param}.role' must be system, developer, user, assistant or tool, not '{role}'", param + ".role");
            string? content = Content(m["content"], param + ".content");
            JsonArray? toolCalls = null;
            if (JsonFields.Array(m, "tool_calls", param + ".tool_calls") is { } calls)
                toolCalls = ToolCallsForTemplate(calls, param + ".tool_calls");
            if (content is null && toolCalls is null && role != "assistant")
                throw ApiException.BadRequest($"'{param}.content' is required", param + ".content");
            list.Add(new ChatMessage(role, content)
            {
                ToolCalls = toolCalls,
                ToolCallId = JsonFields.String(m, "tool_call_id", param + ".tool_call_id"),
                Name = JsonFields.String(m, "name", param + ".name"),
            });
        }
        return list;
    }

    private static string? Content(JsonNode? node, string param)
    {
        if (node is null)
            return null;
        if (node.GetValueKind() == JsonValueKind.String)
            return node.GetValue<string>();
        if (node is JsonArray parts)
        {
            var sb = new System.Text.StringBuilder();
            foreach (var part in parts)
            {
                if (part is not JsonObject p || JsonFields.String(p, "type", param + ".type") != "text")
                    throw ApiException.BadRequest($"'{param}' parts must be {{\"type\":\"text\",\"text\":...}} (this server reads text only)", param);
                sb.Append(JsonFields.String(p, "text", param + ".text"));
            }
            return sb.ToString();
        }
        throw ApiException.BadRequest($"'{param}' must be a string or an array of text parts", param);
    }

    // Templates expect arguments as a mapping (they apply tojson themselves), while OpenAI sends a JSON string.
    private static JsonArray ToolCallsForTemplate(JsonArray calls, string param)
    {
        var result = new JsonArray();
        foreach (var call in calls)
        {
            if (call is not JsonObject c || c["function"] is not JsonObject f)
                throw ApiException.BadRequest($"'{param}' items must have a 'function' object", param);
            var copy = (JsonObject)c.DeepClone();
            var fn = (JsonObject)copy["function"]!;
            if (f["arguments"] is JsonValue v && v.GetValueKind() == JsonValueKind.String)
            {
                try
                {
                    fn["arguments"] = JsonNode.Parse(v.GetValue<string>());
                }
                catch (JsonException)
                {
                }
            }
            result.Add(copy);
        }
        return result;
    }

    public static JsonArray? Tools(JsonObject body)
    {
        var tools = JsonFields.Array(body, "tools");
        if (tools is null)
            return null;
        for (int i = 0; i < tools.Count; i++)
        {
            if (tools[i] is not JsonObject t || t["function"] is not JsonObject f || f["name"] is not JsonValue n || n.GetValueKind() != JsonValueKind.String)
                throw ApiException.BadRequest($"'tools[{i}]' must be {{\"type\":\"function\",\"function\":{{\"name\":...}}}}", $"tools[{i}]");
        }
        return tools.Count == 0 ? null : (JsonArray)tools.DeepClone();
    }
}
