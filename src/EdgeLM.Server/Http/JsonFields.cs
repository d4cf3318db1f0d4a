using System.Text.Json;
using System.Text.Json.Nodes;

namespace EdgeLM.Server.Http;

/// <summary>Typed reads of request fields; a wrong type or range is a 400 naming the field.</summary>
public static class JsonFields
{
    public static string? String(JsonObject o, string name, string? param = null)
    {
        var n = o[name];
        if (n is null)
            return null;
        if (n is JsonValue v && v.GetValueKind() == JsonValueKind.String)
            return v.GetValue<string>();
        throw ApiException.BadRequest($"'{param ?? name}' must be a string", param ?? name);
    }

    public static bool? Bool(JsonObject o, string name, string? param = null)
    {
        var n = o[name];
        if (n is null)
            return null;
        return n.GetValueKind() switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw ApiException.BadRequest($"'{param ?? name}' must be a boolean", param ?? name),
        };
    }

    public static double? Number(JsonObject o, string name, double min, double max, string? param = null)
    {
        var n = o[name];
        if (n is null)
            return null;
        string p = param ?? name;
        if (n.GetValueKind() != JsonValueKind.Number)
            throw ApiException.BadRequest($"'{p}' must be a number", p);
        double d = n.GetValue<double>();
        if (!(d >= min && d <= max))
            throw ApiException.BadRequest($"'{p}' must be between {min} and {max}, got {d}", p);
        return d;
    }

    public static long? Integer(JsonObject o, string name, long min, long max, string? param = null)
    {
        var n = o[name];
        if (n is null)
            return null;
        string p = param ?? name;
        if (n.GetValueKind() != JsonValueKind.Number)
            throw ApiException.BadRequest($"'{p}' must be an integer", p);
        double d = n.GetValue<double>();
        if (d != Math.Floor(d))
            throw ApiException.BadRequest($"'{p}' must be an integer, got {d}", p);
        if (d < min || d > max)
            throw ApiException.BadRequest($"'{p}' must be between {min} and {max}, got {d}", p);
        return (long)d;
    }

    public static JsonObject? Object(JsonObject o, string name, string? param = null)
    {
        var n = o[name];
        if (n is null)
            return null;
        return n as JsonObject ?? throw ApiException.BadRequest($"'{param ?? name}' must be an object", param ?? name);
    }

    public static JsonArray? Array(JsonObject o, string name, string? param = null)
    {
        var n = o[name];
        if (n is null)
            return null;
        return n as JsonArray ?? throw ApiException.BadRequest($"'{param ?? name}' must be an array", param ?? name);
    }

    /// <summary>A string or an array of strings (OpenAI's stop, input and prompt fields).</summary>
    public static List<string>? StringOrArray(JsonObject o, string name, int maxItems)
    {
        var n = o[name];
        if (n is null)
            return null;
        if (n.GetValueKind() == JsonValueKind.String)
            return [n.GetValue<string>()];
        if (n is JsonArray a)
        {
            if (a.Count > maxItems)
                throw ApiException.BadRequest($"'{name}' has {a.Count} items; at most {maxItems} are allowed", name);
            var list = new List<string>();
            foreach (var item in a)
            {
                if (item is null || item.GetValueKind() != JsonValueKind.String)
                    throw ApiException.BadRequest($"'{name}' must be a string or an array of strings", name);
                list.Add(item.GetValue<string>());
            }
            return list;
        }
        throw ApiException.BadRequest($"'{name}' must be a string or an array of strings", name);
    }
}
