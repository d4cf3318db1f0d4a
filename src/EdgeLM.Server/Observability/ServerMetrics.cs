using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using EdgeLM.Server.Hosting;

namespace EdgeLM.Server.Observability;

/// <summary>
/// Counters and histograms the server exposes at /metrics in Prometheus text format (version 0.0.4): requests by
/// route and status, prompt and generated tokens, time to first token, inter-token latency, and per model the
/// queue depth, busy slots and KV-cache use read from the schedulers at scrape time.
/// </summary>
public sealed class ServerMetrics
{
    private static readonly double[] s_latencyBounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private readonly ConcurrentDictionary<(string Route, int Status), long> _requests = new();
    private long _promptTokens, _cachedPromptTokens, _generatedTokens;

    public Histogram TimeToFirstToken { get; } = new("edgelm_time_to_first_token_seconds", "Time from request to first generated token.", s_latencyBounds);

    public Histogram InterTokenLatency { get; } = new("edgelm_inter_token_latency_seconds", "Time between consecutive generated tokens of a stream.", s_latencyBounds);

    /// <summary>Distribution drift of completed requests; null when disabled (--drift-window 0).</summary>
    public DriftMonitor? Drift { get; init; }

    public void CountRequest(string route, int status) => _requests.AddOrUpdate((route, status), 1, (_, n) => n + 1);

    public void CountTokens(int prompt, int cached, int generated)
    {
        Interlocked.Add(ref _promptTokens, prompt);
        Interlocked.Add(ref _cachedPromptTokens, cached);
        Interlocked.Add(ref _generatedTokens, generated);
    }

    public string Render(ModelRegistry registry)
    {
        var sb = new StringBuilder();
        sb.Append("# HELP edgelm_requests_total HTTP requests by route and status.\n# TYPE edgelm_requests_total counter\n");
        foreach (var ((route, status), n) in _requests.OrderBy(k => k.Key.Route, StringComparer.Ordinal).ThenBy(k => k.Key.Status))
            sb.Append("edgelm_requests_total{route=\"").Append(route).Append("\",status=\"").Append(status).Append("\"} ").Append(n).Append('\n');
        Counter(sb, "edgelm_prompt_tokens_total", "Prompt tokens received.", Interlocked.Read(ref _promptTokens));
        Counter(sb, "edgelm_prompt_tokens_cached_total", "Prompt tokens whose KV entries were reused from a slot.", Interlocked.Read(ref _cachedPromptTokens));
        Counter(sb, "edgelm_generated_tokens_total", "Tokens generated.", Interlocked.Read(ref _generatedTokens));
        TimeToFirstToken.WriteTo(sb);
        InterTokenLatency.WriteTo(sb);
        Drift?.WriteTo(sb);
        var hosts = registry.Loaded();
        Gauge(sb, "edgelm_queue_depth", "Requests waiting for a slot.", hosts, h => h.Scheduler.Snapshot().Queued);
        Gauge(sb, "edgelm_slots_busy", "KV-cache slots running a sequence.", hosts, h => h.Scheduler.Snapshot().BusySlots);
        Gauge(sb, "edgelm_slots_total", "KV-cache slots.", hosts, h => h.Scheduler.Snapshot().Slots);
        Gauge(sb, "edgelm_kv_cache_tokens", "Tokens held in the KV cache (including prefixes kept for reuse).", hosts, h => h.Scheduler.Snapshot().CachedTokens);
        Gauge(sb, "edgelm_kv_cache_capacity_tokens", "Tokens the KV cache can hold.", hosts, h => h.Scheduler.Snapshot().CapacityTokens);
        Gauge(sb, "edgelm_batch_steps_total", "Batched forward passes run.", hosts, h => h.Scheduler.Snapshot().Steps);
        return sb.ToString();
    }

    private static void Counter(StringBuilder sb, string name, string help, long value) =>
        sb.Append("# HELP ").Append(name).Append(' ').Append(help).Append("\n# TYPE ").Append(name).Append(" counter\n")
            .Append(name).Append(' ').Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');

    private static void Gauge(StringBuilder sb, string name, string help, IReadOnlyList<ModelHost> hosts, Func<ModelHost, long> value)
    {
        sb.Append("# HELP ").Append(name).Append(' ').Append(help).Append("\n# TYPE ").Append(name).Append(" gauge\n");
        foreach (var h in hosts)
            sb.Append(name).Append("{model=\"").Append(h.Name.Replace("\\", "\\\\").Replace("\"", "\\\"")).Append("\"} ").Append(value(h)).Append('\n');
    }
}
