using System.Diagnostics;
using EdgeLM.Inference;
using EdgeLM.Inference.Scheduling;
using EdgeLM.Server.Hosting;
using EdgeLM.Server.Observability;

namespace EdgeLM.Server.Http;

/// <summary>
/// Submits a prompt to a model's scheduler and relays its tokens: checks the context first (the request gets the
/// context it asks for or an error stating the limit, never a silently truncated prompt), answers 503 with
/// Retry-After when the queue is full, records TTFT and inter-token latency, and cancels the sequence as soon as
/// the client goes away.
/// </summary>
public static class GenerationRunner
{
    /// <summary>
    /// Checks a tokenized prompt against the context and builds its sequence request; <paramref name="promptParam"/>
    /// names the request field that held the prompt ("messages" or "prompt") in a context_length_exceeded error.
    /// </summary>
    public static SequenceRequest Prepare(ModelHost host, int[] prompt, GenerationParameters p, string requestId, string promptParam)
    {
        int serverContext = host.Scheduler.ContextLength;
        int limit = serverContext;
        if (p.ContextLength is int asked)
        {
            if (asked > serverContext)
                throw ApiException.BadRequest(
                    $"num_ctx {asked} exceeds this server's context window of {serverContext} tokens per sequence (restart it with -c {asked})",
                    "num_ctx", "context_length_exceeded");
            limit = asked;
        }
        if (prompt.Length >= limit)
            throw ApiException.BadRequest(
                $"the prompt is {prompt.Length} tokens but the context window holds {limit}; shorten it or raise the context (server -c {serverContext}, request num_ctx)",
                promptParam, "context_length_exceeded");
        int room = limit - prompt.Length;
        if (p.MaxTokens is int max && max > room)
            throw ApiException.BadRequest(
                $"the prompt ({prompt.Length} tokens) plus max_tokens ({max}) exceeds the context window of {limit} tokens; at most {room} new tokens fit",
                "max_tokens", "context_length_exceeded");
        return new SequenceRequest
        {
            Prompt = prompt,
            Generation = new GenerationOptions { MaxTokens = p.MaxTokens ?? room, Sampler = p.Sampler, StopStrings = p.Stop, StopAtEndOfGeneration = !p.IgnoreEos },
            TopLogprobs = p.TopLogprobs,
            JsonObject = p.JsonObject,
            Id = requestId,
        };
    }

    public static async Task<SequenceResult> RunAsync(ServerContext server, RequestScope scope, ModelHost host, SequenceRequest request,
        Func<SequenceChunk, Task>? onChunk, CancellationToken cancellation)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        var handle = host.Scheduler.TrySubmit(request, cts.Token)
            ?? throw new ApiException(503, $"the server is busy: {host.Scheduler.Options.MaxQueue} requests are already waiting for '{host.Name}'; retry later",
                "server_error", null, "server_busy") { RetryAfter = 1 };
        scope.PromptTokens += request.Prompt.Length;
        long last = 0;
        bool first = true;
        try
        {
            await foreach (var chunk in handle.Chunks.ReadAllAsync(cts.Token))
            {
                if (chunk.Token >= 0)
                {
                    long now = Stopwatch.GetTimestamp();
                    if (first)
                        server.Metrics.TimeToFirstToken.Observe(scope.Clock.Elapsed.TotalSeconds);
                    else
                        server.Metrics.InterTokenLatency.Observe(Stopwatch.GetElapsedTime(last, now).TotalSeconds);
                    first = false;
                    last = now;
                }
                if (onChunk is not null)
                    await onChunk(chunk);
            }
        }
        catch
        {
            // The client went away or a write failed: end the sequence now so its slot is free for others.
            cts.Cancel();
            throw;
        }
        var result = await handle.Completion;
        scope.GeneratedTokens += result.Tokens.Length;
        server.Metrics.CountTokens(result.PromptTokens, result.CachedPromptTokens, result.Tokens.Length);
        if (result.StopReason == StopReason.Cancelled)
            cancellation.ThrowIfCancellationRequested();
        else
            server.Metrics.Drift?.Record(DriftSample.From(result));
        return result;
    }
}
