using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace EdgeLM.Server.Http;

/// <summary>Writes JSON bodies, SSE events and NDJSON lines with Utf8JsonWriter (no reflection serialization).</summary>
public static class JsonResponse
{
    private static readonly JsonWriterOptions s_options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task WriteAsync(HttpContext context, int status, Action<Utf8JsonWriter> write)
    {
        var buffer = Render(write);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = buffer.WrittenCount;
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
    }

    /// <summary>One server-sent event: "data: JSON" and a blank line, flushed so the client sees it now.</summary>
    public static async Task WriteEventAsync(HttpContext context, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        buffer.Write("data: "u8);
        using (var w = new Utf8JsonWriter(buffer, s_options))
            write(w);
        buffer.Write("\n\n"u8);
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }

    public static async Task WriteDoneAsync(HttpContext context)
    {
        await context.Response.Body.WriteAsync("data: [DONE]\n\n"u8.ToArray(), context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }

    /// <summary>One NDJSON line (Ollama's streaming format).</summary>
    public static async Task WriteLineAsync(HttpContext context, Action<Utf8JsonWriter> write)
    {
        var buffer = Render(write);
        buffer.Write("\n"u8);
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }

    public static void StartStream(HttpContext context, string contentType)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = contentType;
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
    }

    private static ArrayBufferWriter<byte> Render(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, s_options))
            write(w);
        return buffer;
    }
}
