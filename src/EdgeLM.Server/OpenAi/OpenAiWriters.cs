using System.Text.Json;
using EdgeLM.Inference;
using EdgeLM.Inference.Scheduling;
using EdgeLM.Server.Tools;
using EdgeLM.Tokenizers;

namespace EdgeLM.Server.OpenAi;

/// <summary>JSON fragments shared by the OpenAI responses: log-probs, usage, tool calls, finish reasons.</summary>
public static class OpenAiWriters
{
    public static string FinishReason(StopReason reason, bool toolCalls) => toolCalls ? "tool_calls" : reason switch
    {
        StopReason.Length or StopReason.ContextFull => "length",
        _ => "stop",
    };

    /// <summary>One entry of chat logprobs.content: token, logprob, bytes, top_logprobs.</summary>
    public static void WriteTokenLogprob(Utf8JsonWriter w, Tokenizer tk, SequenceChunk chunk)
    {
        w.WriteStartObject();
        WriteToken(w, tk, chunk.Token, chunk.Logprob);
        w.WriteStartArray("top_logprobs");
        foreach (var t in chunk.Top ?? [])
        {
            w.WriteStartObject();
            WriteToken(w, tk, t.Token, t.Logprob);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteToken(Utf8JsonWriter w, Tokenizer tk, int token, float logprob)
    {
        w.WriteString("token", tk.TokenToPiece(token));
        w.WriteNumber("logprob", Math.Round(logprob, 6));
        w.WriteStartArray("bytes");
        foreach (byte b in tk.TokenBytes(token))
            w.WriteNumberValue(b);
        w.WriteEndArray();
    }

    public static void WriteUsage(Utf8JsonWriter w, int prompt, int cached, int completion)
    {
        w.WriteStartObject("usage");
        w.WriteNumber("prompt_tokens", prompt);
        w.WriteNumber("completion_tokens", completion);
        w.WriteNumber("total_tokens", prompt + completion);
        w.WriteStartObject("prompt_tokens_details");
        w.WriteNumber("cached_tokens", cached);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    public static void WriteToolCalls(Utf8JsonWriter w, IReadOnlyList<ToolCall> calls, bool streaming)
    {
        w.WriteStartArray("tool_calls");
        for (int i = 0; i < calls.Count; i++)
        {
            w.WriteStartObject();
            if (streaming)
                w.WriteNumber("index", i);
            w.WriteString("id", calls[i].Id);
            w.WriteString("type", "function");
            w.WriteStartObject("function");
            w.WriteString("name", calls[i].Name);
            w.WriteString("arguments", calls[i].Arguments);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    public static long Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();
}
