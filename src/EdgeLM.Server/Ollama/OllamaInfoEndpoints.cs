using EdgeLM.Server.Http;
using Microsoft.AspNetCore.Http;

namespace EdgeLM.Server.Ollama;

/// <summary>Ollama's model-information routes: /api/tags, /api/show, /api/ps, /api/version, /api/embed.</summary>
public static class OllamaInfoEndpoints
{
    public const string Version = "0.12.0";

    public static Task VersionInfo(ServerContext server, HttpContext context, RequestScope scope) =>
        JsonResponse.WriteAsync(context, 200, w =>
        {
            w.WriteStartObject();
            w.WriteString("version", Version);
            w.WriteEndObject();
        });

    public static Task Tags(ServerContext server, HttpContext context, RequestScope scope) =>
        JsonResponse.WriteAsync(context, 200, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("models");
            foreach (var (name, path) in server.Registry.Known())
            {
                var info = new FileInfo(path);
                w.WriteStartObject();
                w.WriteString("name", name);
                w.WriteString("model", name);
                w.WriteString("modified_at", info.Exists ? info.LastWriteTimeUtc.ToString("O") : "");
                w.WriteNumber("size", info.Exists ? info.Length : 0);
                w.WriteString("digest", "");
                w.WriteStartObject("details");
                w.WriteString("format", "gguf");
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });

    public static Task Ps(ServerContext server, HttpContext context, RequestScope scope) =>
        JsonResponse.WriteAsync(context, 200, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("models");
            foreach (var host in server.Registry.Loaded())
            {
                w.WriteStartObject();
                w.WriteString("name", host.Name);
                w.WriteString("model", host.Name);
                w.WriteNumber("size", host.FileBytes + host.Scheduler.Options.KvBytes(host.Model));
                w.WriteNumber("size_vram", 0);
                w.WriteNumber("context_length", host.Scheduler.ContextLength);
                // never (pinned, or keep_alive < 0): the far future, as Ollama shows a model kept loaded
                w.WriteString("expires_at", (host.ExpiresAt(server.Options.IdleUnload) ?? DateTimeOffset.MaxValue).ToString("O"));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });

    public static async Task Show(ServerContext server, HttpContext context, RequestScope scope)
    {
        var body = await JsonBody.ReadObjectAsync(context, server.Options.MaxBodyBytes);
        string model = JsonFields.String(body, "model") ?? JsonFields.String(body, "name") ?? throw ApiException.BadRequest("'model' is required", "model");
        var host = await server.Registry.AcquireAsync(model, context.RequestAborted);
        try
        {
            var hp = host.Model.Hyperparameters;
            string arch = host.Model.Metadata.GetStringOrNull("general.architecture") ?? "unknown";
            await JsonResponse.WriteAsync(context, 200, w =>
            {
                w.WriteStartObject();
                w.WriteString("modelfile", $"FROM {host.Path}\n");
                w.WriteString("parameters", "");
                w.WriteString("template", host.Model.Metadata.GetStringOrNull("tokenizer.chat_template") ?? "");
                w.WriteStartObject("details");
                w.WriteString("format", "gguf");
                w.WriteString("family", arch);
                w.WriteEndObject();
                w.WriteStartObject("model_info");
                w.WriteString("general.architecture", arch);
                w.WriteNumber($"{arch}.context_length", hp.TrainingContextLength);
                w.WriteNumber($"{arch}.embedding_length", hp.EmbeddingLength);
                w.WriteNumber($"{arch}.block_count", hp.BlockCount);
                w.WriteNumber("edgelm.server_context_length", host.Scheduler.ContextLength);
                w.WriteEndObject();
                w.WriteStartArray("capabilities");
                w.WriteStringValue("completion");
                w.WriteStringValue("tools");
                w.WriteStringValue("embedding");
                w.WriteEndArray();
                w.WriteEndObject();
            });
        }
        finally
        {
            host.Release();
        }
    }

    public static async Task Embed(ServerContext server, HttpContext context, RequestScope scope)
    {
        var body = await JsonBody.ReadObjectAsync(context, server.Options.MaxBodyBytes);
        string model = JsonFields.String(body, "model") ?? throw ApiException.BadRequest("'model' is required", "model");
        var inputs = JsonFields.StringOrArray(body, "input", 2048) ?? throw ApiException.BadRequest("'input' is required", "input");
        if (inputs.Count == 0 || inputs.Any(s => s.Length == 0))
            throw ApiException.BadRequest("'input' must be a non-empty string or array of non-empty strings", "input");
        var host = await server.Registry.AcquireAsync(model, context.RequestAborted);
        try
        {
            scope.Model = host.Name;
            var (vectors, tokens) = await OpenAi.EmbeddingsEndpoint.Embed(host, inputs, context.RequestAborted);
            scope.PromptTokens = tokens;
            await JsonResponse.WriteAsync(context, 200, w =>
            {
                w.WriteStartObject();
                w.WriteString("model", host.Name);
                w.WriteStartArray("embeddings");
                foreach (var v in vectors)
                {
                    w.WriteStartArray();
                    foreach (float x in v) w.WriteNumberValue(x);
                    w.WriteEndArray();
                }
                w.WriteEndArray();
                w.WriteNumber("prompt_eval_count", tokens);
                w.WriteEndObject();
            });
        }
        finally
        {
            host.Release();
        }
    }
}
