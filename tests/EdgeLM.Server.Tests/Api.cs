using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace EdgeLM.Server.Tests;

/// <summary>Small HTTP helpers for the tests: JSON posts, SSE reading, the /slots view.</summary>
public static class Api
{
    public static async Task<(int Status, JsonNode? Body)> PostJson(HttpClient http, string path, string json)
    {
        using var response = await http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        string text = await response.Content.ReadAsStringAsync();
        JsonNode? node = null;
        try { node = JsonNode.Parse(text); } catch (System.Text.Json.JsonException) { }
        return ((int)response.StatusCode, node);
    }

    public static async Task<JsonNode> Chat(HttpClient http, string user, int maxTokens, string model = SharedServer.Model)
    {
        var body = new JsonObject
        {
            ["model"] = model,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = user }),
            ["max_tokens"] = maxTokens,
            ["temperature"] = 0,
        };
        var (status, node) = await PostJson(http, "/v1/chat/completions", body.ToJsonString());
        Assert.True(status == 200, $"status {status}: {node?.ToJsonString()}");
        return node!;
    }

    /// <summary>Waits (bounded) until no slot of any model is busy and nothing is queued; returns the last /slots body.</summary>
    public static async Task<JsonNode> WaitIdle(HttpClient http)
    {
        JsonNode? slots = null;
        for (int i = 0; i < 100; i++)
        {
            slots = JsonNode.Parse(await http.GetStringAsync("/slots"))!;
            if (slots["models"]!.AsArray().All(m => (int)m!["busy"]! == 0 && (int)m!["queued"]! == 0 && (int)m!["users"]! == 0))
                return slots;
            await Task.Delay(100);
        }
        return slots!;
    }

    public static bool IsIdle(JsonNode slots) =>
        slots["models"]!.AsArray().All(m => (int)m!["busy"]! == 0 && (int)m!["queued"]! == 0 && (int)m!["users"]! == 0);
}
