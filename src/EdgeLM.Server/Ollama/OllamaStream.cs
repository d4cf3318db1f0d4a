using System.Text.Json;
using EdgeLM.Inference;
using EdgeLM.Inference.Scheduling;
using EdgeLM.Server.Hosting;
using EdgeLM.Server.Tools;

namespace EdgeLM.Server.Ollama;

/// <summary>Fields Ollama's generate and chat responses share: timestamps, final statistics, log-probs, tool calls.</summary>
public static class OllamaStream
{
    public static void Begin(Utf8JsonWriter w, ModelHost host)
    {
        w.WriteStartObject();
        w.WriteString("model", host.Name);
        w.WriteString("created_at", DateTimeOffset.UtcNow.ToString("O"));
    }

    public static void WriteLogprobs(Utf8JsonWriter w, ModelHost host, IReadOnlyList<SequenceChunk> chunks)
    {
        var tk = host.Model.Tokenizer;
        w.WriteStartArray("logprobs");
        foreach (var c in chunks)
            OpenAi.OpenAiWriters.WriteTokenLogprob(w, tk, c);
        w.WriteEndArray();
    }

    public static void WriteFinal(Utf8JsonWriter w, SequenceResult result, long elapsedNs, bool toolCalls)
    {
        w.WriteBoolean("done", true);
        w.WriteString("done_reason", result.StopReason switch
        {
            StopReason.Length or StopReason.ContextFull => "length",
            _ => "stop",
        });
        w.WriteNumber("total_duration", elapsedNs);
        w.WriteNumber("load_duration", 0);
        w.WriteNumber("prompt_eval_count", result.PromptTokens - result.CachedPromptTokens);
        w.WriteNumber("eval_count", result.Tokens.Length);
        _ = toolCalls;
    }

    /// <summary>Ollama's tool call shape: {"function": {"name", "arguments": {object}}}.</summary>
    public static void WriteToolCalls(Utf8JsonWriter w, IReadOnlyList<ToolCall> calls)
    {
        w.WriteStartArray("tool_calls");
        foreach (var call in calls)
        {
            w.WriteStartObject();
            w.WriteStartObject("function");
            w.WriteString("name", call.Name);
            w.WritePropertyName("arguments");
            try
            {
                using var doc = JsonDocument.Parse(call.Arguments);
                doc.RootElement.WriteTo(w);
            }
            catch (JsonException)
            {
                w.WriteStringValue(call.Arguments);
            }
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }
}
