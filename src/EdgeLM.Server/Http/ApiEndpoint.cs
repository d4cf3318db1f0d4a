using EdgeLM.Inference;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace EdgeLM.Server.Http;

/// <summary>How an API family renders errors: OpenAI's error object, or Ollama's {"error": "..."}.</summary>
public enum ErrorStyle
{
    OpenAi,
    Ollama,
}

/// <summary>
/// Wraps every route: request id, API key, errors turned into the API's error body and status, request metrics
/// and one log line per request (never the key or the prompt).
/// </summary>
public static class ApiEndpoint
{
    public static RequestDelegate Wrap(ServerContext server, string route, ErrorStyle style, bool authenticate,
        Func<HttpContext, RequestScope, Task> handler)
    {
        var keyCheck = server.Options.ApiKey is { Length: > 0 } key ? new ApiKeyCheck(key) : null;
        return async context =>
        {
            var scope = new RequestScope();
            context.Response.Headers["x-request-id"] = scope.Id;
            int status = 200;
            try
            {
                if (authenticate)
                    keyCheck?.Verify(context);
                await handler(context, scope);
                // A handler may return normally after the client left (its sequence was cancelled, the writes went
                // nowhere): that is still a closed request, not a 200.
                status = context.RequestAborted.IsCancellationRequested ? 499 : context.Response.StatusCode;
            }
            catch (Exception) when (context.RequestAborted.IsCancellationRequested)
            {
                status = 499; // nginx's "client closed request": the client went away, its sequence was cancelled.
            }
            catch (Exception e)
            {
                var error = Translate(e);
                status = error.Status;
                if (error.Status >= 500 && e is not ApiException)
                    server.Log.LogError(e, "{RequestId} {Route} failed", scope.Id, route);
                await TryWriteError(context, style, error);
            }
            finally
            {
                server.Metrics.CountRequest(route, status);
                server.Log.LogInformation("{RequestId} {Method} {Route} {Status} {Ms:F0} ms model={Model} prompt={Prompt} generated={Generated}",
                    scope.Id, context.Request.Method, route, status, scope.Clock.Elapsed.TotalMilliseconds, scope.Model ?? "-",
                    scope.PromptTokens, scope.GeneratedTokens);
            }
        };
    }

    private static ApiException Translate(Exception e) => e switch
    {
        ApiException api => api,
        ContextOverflowException c => ApiException.BadRequest(
            $"the input needs {c.Needed} tokens but the context window holds {c.Context} per sequence (start the server with a larger -c)",
            null, "context_length_exceeded"), // the field that overflowed is not known here (embeddings: input)
        InsufficientMemoryException m => new ApiException(503, m.Message, "server_error", null, "insufficient_memory"),
        Microsoft.AspNetCore.Http.BadHttpRequestException b => new ApiException(b.StatusCode, b.Message),
        ArgumentException a => ApiException.BadRequest(a.Message),
        _ => new ApiException(500, "internal error: " + e.Message, "server_error"),
    };

    private static async Task TryWriteError(HttpContext context, ErrorStyle style, ApiException error)
    {
        try
        {
            if (context.Response.HasStarted)
            {
                // Mid-stream: the status is sent already, so the error goes into the stream as its last event.
                if (style == ErrorStyle.OpenAi)
                    await JsonResponse.WriteEventAsync(context, w => WriteOpenAiError(w, error));
                else
                    await JsonResponse.WriteLineAsync(context, w => WriteOllamaError(w, error));
                return;
            }
            if (error.RetryAfter is int seconds)
                context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await JsonResponse.WriteAsync(context, error.Status, w =>
            {
                if (style == ErrorStyle.OpenAi)
                    WriteOpenAiError(w, error);
                else
                    WriteOllamaError(w, error);
            });
        }
        catch (Exception) when (context.RequestAborted.IsCancellationRequested)
        {
        }
        catch (IOException)
        {
        }
    }

    public static void WriteOpenAiError(System.Text.Json.Utf8JsonWriter w, ApiException e)
    {
        w.WriteStartObject();
        w.WriteStartObject("error");
        w.WriteString("message", e.Message);
        w.WriteString("type", e.Type);
        if (e.Param is null) w.WriteNull("param"); else w.WriteString("param", e.Param);
        if (e.Code is null) w.WriteNull("code"); else w.WriteString("code", e.Code);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteOllamaError(System.Text.Json.Utf8JsonWriter w, ApiException e)
    {
        w.WriteStartObject();
        w.WriteString("error", e.Message);
        w.WriteEndObject();
    }
}
