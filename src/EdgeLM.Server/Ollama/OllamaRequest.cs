using System.Text.Json.Nodes;
using EdgeLM.Inference.Sampling;
using EdgeLM.Server.Http;
using EdgeLM.Templates;

namespace EdgeLM.Server.Ollama;

/// <summary>Ollama's request fields: options (temperature, num_predict, num_ctx, seed, stop, top_k, top_p, ...), format, logprobs.</summary>
public static class OllamaRequest
{
    /// <summary>
    /// Ollama's keep_alive: how long the model stays loaded after this request. A number of seconds or a Go-style
    /// duration ("30s", "5m", "1h30m", "0"); negative keeps it loaded indefinitely (<see cref="Timeout.InfiniteTimeSpan"/>),
    /// 0 unloads it as soon as the request is done. Null when absent.
    /// </summary>
    public static TimeSpan? KeepAlive(JsonObject body)
    {
        var node = body["keep_alive"];
        if (node is null)
            return null;
        if (node is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number && v.TryGetValue(out double seconds)
            && double.IsFinite(seconds) && Math.Abs(seconds) < 1e9)
            return seconds < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(seconds);
        if (node is JsonValue sv && sv.GetValueKind() == System.Text.Json.JsonValueKind.String && ParseDuration(sv.GetValue<string>()) is { } d)
            return d < TimeSpan.Zero ? Timeout.InfiniteTimeSpan : d;
        throw ApiException.BadRequest("'keep_alive' must be a number of seconds or a duration such as \"30s\", \"5m\", \"1h\" (negative: keep loaded)", "keep_alive");
    }

    /// <summary>Go's time.ParseDuration subset Ollama documents: [-]N(h|m|s|ms) groups, e.g. "1h30m", "-1m", "0".</summary>
    private static TimeSpan? ParseDuration(string text)
    {
        var s = text.Trim();
        if (s == "0" || s == "-0")
            return TimeSpan.Zero;
        if (double.TryParse(s, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double bare))
            return double.IsFinite(bare) && Math.Abs(bare) < 1e9 ? TimeSpan.FromSeconds(bare) : null; // Ollama also accepts "300"
        bool negative = s.StartsWith('-');
        if (negative)
            s = s[1..];
        if (s.Length == 0)
            return null;
        double total = 0;
        int i = 0;
        while (i < s.Length)
        {
            int start = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.'))
                i++;
            if (i == start || !double.TryParse(s[start..i], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double n))
                return null;
            double unit;
            if (s.AsSpan(i).StartsWith("ms")) { unit = 0.001; i += 2; }
            else if (i < s.Length && s[i] == 'h') { unit = 3600; i++; }
            else if (i < s.Length && s[i] == 'm') { unit = 60; i++; }
            else if (i < s.Length && s[i] == 's') { unit = 1; i++; }
            else return null;
            total += n * unit;
        }
        if (total >= 1e9)
            return null;
        return TimeSpan.FromSeconds(negative ? -total : total);
    }

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
