using System.Runtime.InteropServices;
using EdgeLM.Server.Http;
using Microsoft.AspNetCore.Http;

namespace EdgeLM.Server.OpenAi;

/// <summary>
/// POST /v1/embeddings: each input's vector is the mean of the model's final (output-normed) hidden states over
/// its tokens, L2-normalized. encoding_format "float" (default) or "base64" (little-endian float32, which the
/// official clients request).
/// </summary>
public static class EmbeddingsEndpoint
{
    public static async Task Handle(ServerContext server, HttpContext context, RequestScope scope)
    {
        var body = await JsonBody.ReadObjectAsync(context, server.Options.MaxBodyBytes);
        string? modelName = JsonFields.String(body, "model");
        var inputs = JsonFields.StringOrArray(body, "input", 2048) ?? throw ApiException.BadRequest("'input' is required", "input");
        if (inputs.Count == 0 || inputs.Any(s => s.Length == 0))
            throw ApiException.BadRequest("'input' must be a non-empty string or array of non-empty strings", "input");
        string format = JsonFields.String(body, "encoding_format") ?? "float";
        if (format is not ("float" or "base64"))
            throw ApiException.BadRequest("'encoding_format' must be float or base64", "encoding_format");
        var host = await server.Registry.AcquireAsync(modelName, context.RequestAborted);
        try
        {
            scope.Model = host.Name;
            var (vectors, tokens) = await Embed(host, inputs, context.RequestAborted);
            scope.PromptTokens = tokens;
            await JsonResponse.WriteAsync(context, 200, w =>
            {
                w.WriteStartObject();
                w.WriteString("object", "list");
                w.WriteStartArray("data");
                for (int i = 0; i < vectors.Length; i++)
                {
                    w.WriteStartObject();
                    w.WriteString("object", "embedding");
                    w.WriteNumber("index", i);
                    if (format == "base64")
                        w.WriteString("embedding", Convert.ToBase64String(MemoryMarshal.AsBytes(vectors[i].AsSpan())));
                    else
                    {
                        w.WriteStartArray("embedding");
                        foreach (float v in vectors[i]) w.WriteNumberValue(v);
                        w.WriteEndArray();
                    }
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteString("model", host.Name);
                w.WriteStartObject("usage");
                w.WriteNumber("prompt_tokens", tokens);
                w.WriteNumber("total_tokens", tokens);
                w.WriteEndObject();
                w.WriteEndObject();
            });
        }
        finally
        {
            host.Release();
        }
    }

    /// <summary>Embeds every input (shared with Ollama's /api/embed); errors name the input that does not fit.</summary>
    public static async Task<(float[][] Vectors, int Tokens)> Embed(Hosting.ModelHost host, IReadOnlyList<string> inputs, CancellationToken cancellation)
    {
        var encoded = new List<int[]>();
        for (int i = 0; i < inputs.Count; i++)
        {
            var t = EdgeLM.Inference.PromptEncoding.Encode(host.Model.Tokenizer, inputs[i], parseSpecial: false);
            if (t.Length > host.Scheduler.ContextLength)
                throw ApiException.BadRequest($"input[{i}] is {t.Length} tokens but the context window holds {host.Scheduler.ContextLength}",
                    "input", "context_length_exceeded");
            if (t.Length == 0)
                throw ApiException.BadRequest($"input[{i}] has no tokens", "input");
            encoded.Add(t);
        }
        var vectors = new float[encoded.Count][];
        for (int i = 0; i < encoded.Count; i++)
            vectors[i] = await host.Scheduler.EmbedAsync(encoded[i], cancellation);
        return (vectors, encoded.Sum(e => e.Length));
    }
}
