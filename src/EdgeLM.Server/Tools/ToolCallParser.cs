using System.Text.Json;
using System.Text.Json.Nodes;

namespace EdgeLM.Server.Tools;

/// <summary>
/// Finds tool calls in generated text, for the formats model families are trained on:
/// Hermes / Qwen 2.5+ — one or more &lt;tool_call&gt;{"name": ..., "arguments": {...}}&lt;/tool_call&gt; blocks;
/// Llama 3.x — the whole reply is {"name": ..., "parameters": {...}} (optionally after &lt;|python_tag|&gt;, several
/// separated by ';'). A call counts only when its name is one of the declared tools, so ordinary JSON in a reply
/// is left as content. The same parser serves both APIs, streamed or not.
/// </summary>
public static class ToolCallParser
{
    public static ParsedOutput Parse(string text, IReadOnlySet<string> toolNames)
    {
        if (toolNames.Count == 0)
            return new ParsedOutput(text, []);
        var hermes = ParseHermes(text, toolNames);
        if (hermes is not null)
            return hermes;
        return ParseLlama(text, toolNames) ?? new ParsedOutput(text, []);
    }

    private static ParsedOutput? ParseHermes(string text, IReadOnlySet<string> names)
    {
        const string open = "<tool_call>", close = "</tool_call>";
        int at = text.IndexOf(open, StringComparison.Ordinal);
        if (at < 0)
            return null;
        var calls = new List<ToolCall>();
        var content = new System.Text.StringBuilder(text[..at]);
        while (at >= 0)
        {
            int start = at + open.Length;
            int end = text.IndexOf(close, start, StringComparison.Ordinal);
            string body = end < 0 ? text[start..] : text[start..end];
            var call = ParseCall(body.Trim(), names, "arguments");
            if (call is null)
                return null;
            calls.Add(call);
            if (end < 0)
                break;
            int next = text.IndexOf(open, end + close.Length, StringComparison.Ordinal);
            content.Append(next < 0 ? text[(end + close.Length)..] : text[(end + close.Length)..next]);
            at = next;
        }
        string rest = content.ToString().Trim();
        return new ParsedOutput(rest.Length == 0 ? null : rest, calls);
    }

    private static ParsedOutput? ParseLlama(string text, IReadOnlySet<string> names)
    {
        string t = text.Trim();
        if (t.StartsWith("<|python_tag|>", StringComparison.Ordinal))
            t = t["<|python_tag|>".Length..].Trim();
        if (!t.StartsWith('{'))
            return null;
        var calls = new List<ToolCall>();
        foreach (var part in SplitTopLevel(t))
        {
            var call = ParseCall(part, names, "parameters") ?? ParseCall(part, names, "arguments");
            if (call is null)
                return null;
            calls.Add(call);
        }
        return calls.Count == 0 ? null : new ParsedOutput(null, calls);
    }

    /// <summary>Splits "{...}; {...}" at semicolons outside JSON strings and brackets.</summary>
    private static IEnumerable<string> SplitTopLevel(string t)
    {
        int depth = 0, start = 0;
        bool inString = false, escape = false;
        for (int i = 0; i < t.Length; i++)
        {
            char c = t[i];
            if (inString)
            {
                if (escape) escape = false;
                else if (c == '\\') escape = true;
                else if (c == '"') inString = false;
                continue;
            }
            if (c == '"') inString = true;
            else if (c is '{' or '[') depth++;
            else if (c is '}' or ']') depth--;
            else if (c == ';' && depth == 0)
            {
                yield return t[start..i].Trim();
                start = i + 1;
            }
        }
        if (start < t.Length && t[start..].Trim().Length > 0)
            yield return t[start..].Trim();
    }

    private static ToolCall? ParseCall(string json, IReadOnlySet<string> names, string argumentsKey)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return null;
        }
        if (node is not JsonObject o || o["name"] is not JsonValue nameValue || nameValue.GetValueKind() != JsonValueKind.String)
            return null;
        string name = nameValue.GetValue<string>();
        if (!names.Contains(name))
            return null;
        string arguments = o[argumentsKey] switch
        {
            null => "{}",
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
            var other => other.ToJsonString(),
        };
        return new ToolCall("call_" + Guid.NewGuid().ToString("N")[..24], name, arguments);
    }

    /// <summary>Names of the functions declared in an OpenAI/Ollama "tools" array.</summary>
    public static HashSet<string> DeclaredNames(JsonArray? tools)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (tools is null)
            return names;
        foreach (var t in tools)
            if (t?["function"]?["name"] is JsonValue v && v.GetValueKind() == JsonValueKind.String)
                names.Add(v.GetValue<string>());
        return names;
    }
}
