using System.Text.Json.Nodes;
using EdgeLM.Inference.Scheduling;
using EdgeLM.Server.Http;
using EdgeLM.Server.Tools;
using Microsoft.AspNetCore.Http;

namespace EdgeLM.Server.OpenAi;

/// <summary>
/// POST /v1/chat/completions: messages rendered with the model's chat template, generated in the shared batch,
/// answered as one JSON object or streamed as SSE chunks. With tools declared, the reply is held back until it is
/// known whether it is a tool call, so tool calls arrive as tool_calls (never as plain text) streamed or not.
/// </summary>
public static class ChatCompletionsEndpoint
{
    public static async Task Handle(ServerContext server, HttpContext context, RequestScope scope)
    {
        var body = await JsonBody.ReadObjectAsync(context, server.Options.MaxBodyBytes);
        string? modelName = JsonFields.String(body, "model");
        var messages = OpenAiRequest.Messages(body);
        var parameters = OpenAiRequest.Parameters(body, chat: true);
        var tools = OpenAiRequest.Tools(body);
        bool stream = JsonFields.Bool(body, "stream") ?? false;
        bool includeUsage = stream && JsonFields.Object(body, "stream_options") is { } so && (JsonFields.Bool(so, "include_usage", "stream_options.include_usage") ?? false);
        var host = await server.Registry.AcquireAsync(modelName, context.RequestAborted);
        try
        {
            scope.Model = host.Name;
            var prompt = host.Encode(host.RenderChat(messages, tools));
            var request = GenerationRunner.Prepare(host, prompt, parameters, scope.Id, "messages");
            var toolNames = ToolCallParser.DeclaredNames(tools);
            string id = "chatcmpl-" + Guid.NewGuid().ToString("N")[..24];
            long created = OpenAiWriters.Now();
            var tk = host.Model.Tokenizer;
            if (!stream)
            {
                var logprobs = new List<SequenceChunk>();
                var result = await GenerationRunner.RunAsync(server, scope, host, request,
                    c => { if (c.Token >= 0 && parameters.TopLogprobs >= 0) logprobs.Add(c); return Task.CompletedTask; }, context.RequestAborted);
                var parsed = ToolCallParser.Parse(result.Text, toolNames);
                await JsonResponse.WriteAsync(context, 200, w =>
                {
                    w.WriteStartObject();
                    w.WriteString("id", id);
                    w.WriteString("object", "chat.completion");
                    w.WriteNumber("created", created);
                    w.WriteString("model", host.Name);
                    w.WriteString("system_fingerprint", "edgelm");
                    w.WriteStartArray("choices");
                    w.WriteStartObject();
                    w.WriteNumber("index", 0);
                    w.WriteStartObject("message");
                    w.WriteString("role", "assistant");
                    if (parsed.Content is null) w.WriteNull("content"); else w.WriteString("content", parsed.Content);
                    if (parsed.ToolCalls.Count > 0)
                        OpenAiWriters.WriteToolCalls(w, parsed.ToolCalls, streaming: false);
                    w.WriteEndObject();
                    if (parameters.TopLogprobs >= 0)
                    {
                        w.WriteStartObject("logprobs");
                        w.WriteStartArray("content");
                        foreach (var c in logprobs)
                            OpenAiWriters.WriteTokenLogprob(w, tk, c);
                        w.WriteEndArray();
                        w.WriteEndObject();
                    }
                    else
                        w.WriteNull("logprobs");
                    w.WriteString("finish_reason", OpenAiWriters.FinishReason(result.StopReason, parsed.ToolCalls.Count > 0));
                    w.WriteEndObject();
                    w.WriteEndArray();
                    OpenAiWriters.WriteUsage(w, result.PromptTokens, result.CachedPromptTokens, result.Tokens.Length);
                    w.WriteEndObject();
                });
                return;
            }

            JsonResponse.StartStream(context, "text/event-stream");
            bool holdForTools = toolNames.Count > 0;
            await Chunk(context, id, created, host.Name, w => { w.WriteString("role", "assistant"); w.WriteString("content", ""); }, null, null);
            var streamed = await GenerationRunner.RunAsync(server, scope, host, request, async c =>
            {
                if (holdForTools || (c.Text.Length == 0 && (c.Token < 0 || parameters.TopLogprobs < 0)))
                    return;
                await Chunk(context, id, created, host.Name, w => w.WriteString("content", c.Text),
                    c.Token >= 0 && parameters.TopLogprobs >= 0 ? w => OpenAiWriters.WriteTokenLogprob(w, tk, c) : null, null);
            }, context.RequestAborted);
            var toolParse = holdForTools ? ToolCallParser.Parse(streamed.Text, toolNames) : new ParsedOutput(null, []);
            if (holdForTools)
            {
                if (toolParse.Content is { } text)
                    await Chunk(context, id, created, host.Name, w => w.WriteString("content", text), null, null);
                if (toolParse.ToolCalls.Count > 0)
                    await Chunk(context, id, created, host.Name, w => OpenAiWriters.WriteToolCalls(w, toolParse.ToolCalls, streaming: true), null, null);
            }
            await Chunk(context, id, created, host.Name, _ => { }, null,
                OpenAiWriters.FinishReason(streamed.StopReason, toolParse.ToolCalls.Count > 0));
            if (includeUsage)
            {
                await JsonResponse.WriteEventAsync(context, w =>
                {
                    Header(w, id, created, host.Name);
                    w.WriteStartArray("choices");
                    w.WriteEndArray();
                    OpenAiWriters.WriteUsage(w, streamed.PromptTokens, streamed.CachedPromptTokens, streamed.Tokens.Length);
                    w.WriteEndObject();
                });
            }
            await JsonResponse.WriteDoneAsync(context);
        }
        finally
        {
            host.Release();
        }
    }

    private static void Header(System.Text.Json.Utf8JsonWriter w, string id, long created, string model)
    {
        w.WriteStartObject();
        w.WriteString("id", id);
        w.WriteString("object", "chat.completion.chunk");
        w.WriteNumber("created", created);
        w.WriteString("model", model);
        w.WriteString("system_fingerprint", "edgelm");
    }

    private static Task Chunk(HttpContext context, string id, long created, string model, Action<System.Text.Json.Utf8JsonWriter> delta,
        Action<System.Text.Json.Utf8JsonWriter>? logprob, string? finish) =>
        JsonResponse.WriteEventAsync(context, w =>
        {
            Header(w, id, created, model);
            w.WriteStartArray("choices");
            w.WriteStartObject();
            w.WriteNumber("index", 0);
            w.WriteStartObject("delta");
            delta(w);
            w.WriteEndObject();
            if (logprob is not null)
            {
                w.WriteStartObject("logprobs");
                w.WriteStartArray("content");
                logprob(w);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            else
                w.WriteNull("logprobs");
            if (finish is null) w.WriteNull("finish_reason"); else w.WriteString("finish_reason", finish);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        });
}
