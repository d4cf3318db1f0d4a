using System.Text.Json.Nodes;
using EdgeLM.Inference.Sampling;
using EdgeLM.Server.Http;
using EdgeLM.Templates;

namespace EdgeLM.Server.Ollama;

/// <summary>Ollama's request fields: options (temperature, num_predict, num_ctx, seed, stop, top_k, top_p, ...), format, logprobs.</summary>
public static class OllamaRequest
{
    public static GenerationParameters Parameters(JsonObject body)
    {
        var o = JsonFields.Object(body, "options") ?? new JsonObject();
        var defaults = new SamplerOptions();
        long? predict = JsonFields.Integer(o, "num_predict", -2, GenerationParameters.MaxTokensLimit, "options.num_predict");
        var format = body["format"];
        bool json = format switch
        {
            null => false,
            JsonObject => true,
            JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String && v.GetValue<string>() == "json" => true,
            JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String && v.GetValue<string>() == "" => false,
            _ => throw ApiException.BadRequest("'format' must be \"json\" or a JSON schema object", "format"),
        };
        int top = -1;
        if (JsonFields.Bool(body, "logprobs") == true)
            top = (int)(JsonFields.Integer(body, "top_logprobs", 0, 20) ?? 0);
        return new GenerationParameters
        {
            Sampler = new SamplerOptions
            {
                Temperature = (float)(JsonFields.Number(o, "temperature", 0, 100, "options.temperature") ?? defaults.Temperature),
                TopK = (int)(JsonFields.Integer(o, "top_k", 0, 1_000_000, "options.top_k") ?? defaults.TopK),
                TopP = (float)(JsonFields.Number(o, "top_p", 1e-6, 1, "options.top_p") ?? defaults.TopP),
                MinP = (float)(JsonFields.Number(o, "min_p", 0, 1, "options.min_p") ?? defaults.MinP),
                RepeatPenalty = (float)(JsonFields.Number(o, "repeat_penalty", 0.01, 10, "options.repeat_penalty") ?? 1),
                PenaltyWindow = (int)(JsonFields.Integer(o, "repeat_last_n", 0, 1_000_000, "options.repeat_last_n") ?? 64),
                FrequencyPenalty = (float)(JsonFields.Number(o, "frequency_penalty", -2, 2, "options.frequency_penalty") ?? 0),
                PresencePenalty = (float)(JsonFields.Number(o, "presence_penalty", -2, 2, "options.presence_penalty") ?? 0),
                Seed = JsonFields.Integer(o, "seed", long.MinValue, long.MaxValue, "options.seed") is long s ? unchecked((int)s) : null,
            },
            // Ollama: -1 = unlimited, -2 = fill the context.
            MaxTokens = predict is null or < 0 ? null : predict == 0 ? throw ApiException.BadRequest("'options.num_predict' must not be 0", "options.num_predict") : (int)predict,
            ContextLength = JsonFields.Integer(o, "num_ctx", 1, 10_000_000, "options.num_ctx") is long ctx ? (int)ctx : null,
            Stop = JsonFields.StringOrArray(o, "stop", 16) ?? [],
            JsonObject = json,
            TopLogprobs = top,
        };
    }

    public static List<ChatMessage> Messages(JsonObject body)
    {
        var array = JsonFields.Array(body, "messages") ?? throw ApiException.BadRequest("'messages' is required", "messages");
        if (array.Count == 0)
            throw ApiException.BadRequest("'messages' must contain at least one message", "messages");
        var list = new List<ChatMessage>();
        for (int i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonObject m)
                throw ApiException.BadRequest($"messages[{i}] must be an object", "messages");
            string role = JsonFields.String(m, "role", $"messages[{i}].role") ?? throw ApiException.BadRequest($"messages[{i}].role is required", "messages");
            if (role is not ("system" or "user" or "assistant" or "tool"))
                throw ApiException.BadRequest($"messages[{i}].role must be system, user, assistant or tool, not '{role}'", "messages");
            if (m["images"] is JsonArray { Count: > 0 })
                throw ApiException.BadRequest("images are not supported by this server", "messages");
            list.Add(new ChatMessage(role, JsonFields.String(m, "content", $"messages[{i}].content") ?? "")
            {
                ToolCalls = JsonFields.Array(m, "tool_calls", $"messages[{i}].tool_calls")?.DeepClone() as JsonArray,
                Name = JsonFields.String(m, "tool_name", $"messages[{i}].tool_name"),
            });
        }
        return list;
    }
}
