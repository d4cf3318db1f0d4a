using EdgeLM.Inference.Scheduling;
using EdgeLM.Server.Http;
using EdgeLM.Server.Tools;
using EdgeLM.Templates;
using Microsoft.AspNetCore.Http;

namespace EdgeLM.Server.Ollama;

/// <summary>
/// POST /api/generate and /api/chat: Ollama's generation routes, streamed as NDJSON by default (stream: false gives
/// one object). The prompt goes through the model's chat template unless raw is set; an empty prompt only loads
/// the model, as in Ollama.
/// </summary>
public static class OllamaGenerateEndpoints
{
    public static async Task Generate(ServerContext server, HttpContext context, RequestScope scope)
    {
        var body = await JsonBody.ReadObjectAsync(context, server.Options.MaxBodyBytes);
        string model = JsonFields.String(body, "model") ?? throw ApiException.BadRequest("'model' is required", "model");
        string prompt = JsonFields.String(body, "prompt") ?? "";
        string? system = JsonFields.String(body, "system");
        bool raw = JsonFields.Bool(body, "raw") ?? false;
        bool stream = JsonFields.Bool(body, "stream") ?? true;
        var parameters = OllamaRequest.Parameters(body);
        var keepAlive = OllamaRequest.KeepAlive(body);
        var host = await server.Registry.AcquireAsync(model, context.RequestAborted);
        try
        {
            scope.Model = host.Name;
            if (keepAlive is { } k)
                host.KeepAlive = k;
            if (prompt.Length == 0)
            {
                // an empty prompt only loads the model, or with keep_alive 0 unloads it (Ollama's `ollama stop`)
                await JsonResponse.WriteAsync(context, 200, w =>
                {
                    OllamaStream.Begin(w, host);
                    w.WriteString("response", "");
                    w.WriteBoolean("done", true);
                    w.WriteString("done_reason", keepAlive == TimeSpan.Zero && !host.Pinned ? "unload" : "load");
                    w.WriteEndObject();
                });
                return;
            }
            string text = prompt;
            if (!raw)
            {
                var messages = new List<ChatMessage>();
                if (system is not null)
                    messages.Add(new ChatMessage("system", system));
                messages.Add(new ChatMessage("user", prompt));
                text = host.RenderChat(messages, null);
            }
            var request = GenerationRunner.Prepare(host, host.Encode(text), parameters, scope.Id, "prompt");
            await Run(server, context, scope, host, request, parameters, stream, [], isChat: false);
        }
        finally
        {
            host.Release();
            if (keepAlive == TimeSpan.Zero)
                server.Registry.Sweep();
        }
    }

    public static async Task Chat(ServerContext server, HttpContext context, RequestScope scope)
    {
        var body = await JsonBody.ReadObjectAsync(context, server.Options.MaxBodyBytes);
        string model = JsonFields.String(body, "model") ?? throw ApiException.BadRequest("'model' is required", "model");
        var messages = OllamaRequest.Messages(body);
        bool stream = JsonFields.Bool(body, "stream") ?? true;
        var tools = OpenAi.OpenAiRequest.Tools(body);
        var parameters = OllamaRequest.Parameters(body);
        var keepAlive = OllamaRequest.KeepAlive(body);
        var host = await server.Registry.AcquireAsync(model, context.RequestAborted);
        try
        {
            scope.Model = host.Name;
            if (keepAlive is { } k)
                host.KeepAlive = k;
            var request = GenerationRunner.Prepare(host, host.Encode(host.RenderChat(messages, tools)), parameters, scope.Id, "messages");
            await Run(server, context, scope, host, request, parameters, stream, ToolCallParser.DeclaredNames(tools), isChat: true);
        }
        finally
        {
            host.Release();
            if (keepAlive == TimeSpan.Zero)
                server.Registry.Sweep();
        }
    }

    private static async Task Run(ServerContext server, HttpContext context, RequestScope scope, Hosting.ModelHost host,
        SequenceRequest request, GenerationParameters parameters, bool stream, HashSet<string> toolNames, bool isChat)
    {
        bool logprobs = parameters.TopLogprobs >= 0;
        bool hold = toolNames.Count > 0;
        var collected = new List<SequenceChunk>();
        if (stream)
            JsonResponse.StartStream(context, "application/x-ndjson");
        var result = await GenerationRunner.RunAsync(server, scope, host, request, async c =>
        {
            if (!stream || hold)
            {
                if (c.Token >= 0 && logprobs) collected.Add(c);
                return;
            }
            if (c.Text.Length == 0 && !(logprobs && c.Token >= 0))
                return;
            await JsonResponse.WriteLineAsync(context, w =>
            {
                OllamaStream.Begin(w, host);
                WriteText(w, c.Text, isChat, null);
                if (logprobs && c.Token >= 0)
                    OllamaStream.WriteLogprobs(w, host, [c]);
                w.WriteBoolean("done", false);
                w.WriteEndObject();
            });
        }, context.RequestAborted);
        var parsed = ToolCallParser.Parse(result.Text, toolNames);
        long ns = (long)(scope.Clock.Elapsed.TotalMilliseconds * 1e6);
        void Final(System.Text.Json.Utf8JsonWriter w, bool includeText)
        {
            OllamaStream.Begin(w, host);
            WriteText(w, includeText ? parsed.Content ?? "" : "", isChat, parsed.ToolCalls);
            if (logprobs && collected.Count > 0)
                OllamaStream.WriteLogprobs(w, host, collected);
            OllamaStream.WriteFinal(w, result, ns, parsed.ToolCalls.Count > 0);
            w.WriteEndObject();
        }
        if (stream)
            await JsonResponse.WriteLineAsync(context, w => Final(w, hold));
        else
            await JsonResponse.WriteAsync(context, 200, w => Final(w, true));
    }

    private static void WriteText(System.Text.Json.Utf8JsonWriter w, string text, bool isChat, IReadOnlyList<ToolCall>? calls)
    {
        if (!isChat)
        {
            w.WriteString("response", text);
            return;
        }
        w.WriteStartObject("message");
        w.WriteString("role", "assistant");
        w.WriteString("content", text);
        if (calls is { Count: > 0 })
            OllamaStream.WriteToolCalls(w, calls);
        w.WriteEndObject();
    }
}
