using System.Text.Json;
using EdgeLM.Inference.Scheduling;
using EdgeLM.Server.Http;
using Microsoft.AspNetCore.Http;

namespace EdgeLM.Server.OpenAi;

/// <summary>
/// POST /v1/completions: raw prompt completion (prompt as a string or a list of strings, one choice each, run
/// concurrently in the batch), echo, and legacy logprobs (tokens, token_logprobs, top_logprobs, text_offset).
/// </summary>
public static class CompletionsEndpoint
{
    public static async Task Handle(ServerContext server, HttpContext context, RequestScope scope)
    {
        var body = await JsonBody.ReadObjectAsync(context, server.Options.MaxBodyBytes);
        string? modelName = JsonFields.String(body, "model");
        var prompts = JsonFields.StringOrArray(body, "prompt", 64) ?? throw ApiException.BadRequest("'prompt' is required", "prompt");
        if (prompts.Count == 0)
            throw ApiException.BadRequest("'prompt' must not be empty", "prompt");
        var parameters = OpenAiRequest.Parameters(body, chat: false);
        bool stream = JsonFields.Bool(body, "stream") ?? false;
        bool echo = JsonFields.Bool(body, "echo") ?? false;
        bool includeUsage = stream && JsonFields.Object(body, "stream_options") is { } so && (JsonFields.Bool(so, "include_usage", "stream_options.include_usage") ?? false);
        if (stream && prompts.Count > 1)
            throw ApiException.BadRequest("streaming supports one prompt per request", "prompt");
        var host = await server.Registry.AcquireAsync(modelName, context.RequestAborted);
        try
        {
            scope.Model = host.Name;
            var tk = host.Model.Tokenizer;
            var requests = prompts.Select(p =>
            {
                if (p.Length == 0)
                    throw ApiException.BadRequest("'prompt' must not be an empty string", "prompt");
                return GenerationRunner.Prepare(host, host.Encode(p), parameters, scope.Id, "prompt");
            }).ToList();
            string id = "cmpl-" + Guid.NewGuid().ToString("N")[..24];
            long created = OpenAiWriters.Now();
            if (stream)
            {
                JsonResponse.StartStream(context, "text/event-stream");
                if (echo)
                    await Event(context, id, created, host.Name, prompts[0], null, null, tk);
                var r = await GenerationRunner.RunAsync(server, scope, host, requests[0], c =>
                    c.Text.Length == 0 && (c.Token < 0 || parameters.TopLogprobs < 0) ? Task.CompletedTask
                        : Event(context, id, created, host.Name, c.Text, c.Token >= 0 && parameters.TopLogprobs >= 0 ? c : null, null, tk),
                    context.RequestAborted);
                await Event(context, id, created, host.Name, "", null, OpenAiWriters.FinishReason(r.StopReason, false), tk);
                if (includeUsage)
                    await JsonResponse.WriteEventAsync(context, w =>
                    {
                        w.WriteStartObject();
                        w.WriteString("id", id);
                        w.WriteString("object", "text_completion");
                        w.WriteNumber("created", created);
                        w.WriteString("model", host.Name);
                        w.WriteStartArray("choices");
                        w.WriteEndArray();
                        OpenAiWriters.WriteUsage(w, r.PromptTokens, r.CachedPromptTokens, r.Tokens.Length);
                        w.WriteEndObject();
                    });
                await JsonResponse.WriteDoneAsync(context);
                return;
            }
            var chunks = requests.Select(_ => new List<SequenceChunk>()).ToList();
            var results = await Task.WhenAll(requests.Select((req, i) => GenerationRunner.RunAsync(server, scope, host, req,
                c => { if (c.Token >= 0) chunks[i].Add(c); return Task.CompletedTask; }, context.RequestAborted)));
            await JsonResponse.WriteAsync(context, 200, w =>
            {
                w.WriteStartObject();
                w.WriteString("id", id);
                w.WriteString("object", "text_completion");
                w.WriteNumber("created", created);
                w.WriteString("model", host.Name);
                w.WriteString("system_fingerprint", "edgelm");
                w.WriteStartArray("choices");
                for (int i = 0; i < results.Length; i++)
                {
                    w.WriteStartObject();
                    w.WriteNumber("index", i);
                    w.WriteString("text", (echo ? prompts[i] : "") + results[i].Text);
                    if (parameters.TopLogprobs >= 0)
                        WriteLegacyLogprobs(w, tk, chunks[i], echo ? prompts[i].Length : 0);
                    else
                        w.WriteNull("logprobs");
                    w.WriteString("finish_reason", OpenAiWriters.FinishReason(results[i].StopReason, false));
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                OpenAiWriters.WriteUsage(w, results.Sum(r => r.PromptTokens), results.Sum(r => r.CachedPromptTokens), results.Sum(r => r.Tokens.Length));
                w.WriteEndObject();
            });
        }
        finally
        {
            host.Release();
        }
    }

    private static void WriteLegacyLogprobs(Utf8JsonWriter w, EdgeLM.Tokenizers.Tokenizer tk, IReadOnlyList<SequenceChunk> chunks, int offset)
    {
        w.WriteStartObject("logprobs");
        w.WriteStartArray("tokens");
        foreach (var c in chunks) w.WriteStringValue(tk.TokenToPiece(c.Token));
        w.WriteEndArray();
        w.WriteStartArray("token_logprobs");
        foreach (var c in chunks) w.WriteNumberValue(Math.Round(c.Logprob, 6));
        w.WriteEndArray();
        w.WriteStartArray("top_logprobs");
        foreach (var c in chunks)
        {
            w.WriteStartObject();
            foreach (var t in c.Top ?? [])
            {
                string piece = tk.TokenToPiece(t.Token);
                w.WriteNumber(piece, Math.Round(t.Logprob, 6));
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("text_offset");
        foreach (var c in chunks)
        {
            w.WriteNumberValue(offset);
            offset += tk.TokenToPiece(c.Token).Length;
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static Task Event(HttpContext context, string id, long created, string model, string text, SequenceChunk? logprob,
        string? finish, EdgeLM.Tokenizers.Tokenizer tk) =>
        JsonResponse.WriteEventAsync(context, w =>
        {
            w.WriteStartObject();
            w.WriteString("id", id);
            w.WriteString("object", "text_completion");
            w.WriteNumber("created", created);
            w.WriteString("model", model);
            w.WriteStartArray("choices");
            w.WriteStartObject();
            w.WriteNumber("index", 0);
            w.WriteString("text", text);
            if (logprob is not null)
                WriteLegacyLogprobs(w, tk, [logprob], 0);
            else
                w.WriteNull("logprobs");
            if (finish is null) w.WriteNull("finish_reason"); else w.WriteString("finish_reason", finish);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        });
}
