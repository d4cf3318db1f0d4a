using EdgeLM.Server.Hosting;
using EdgeLM.Server.Observability;
using Microsoft.Extensions.Logging;

namespace EdgeLM.Server.Http;

/// <summary>What every endpoint needs: the options, the models, the metrics and the request log.</summary>
public sealed class ServerContext(ServerOptions options, ModelRegistry registry, ServerMetrics metrics, ILogger log)
{
    public ServerOptions Options { get; } = options;
    public ModelRegistry Registry { get; } = registry;
    public ServerMetrics Metrics { get; } = metrics;
    public ILogger Log { get; } = log;
    public DateTimeOffset Started { get; } = DateTimeOffset.UtcNow;
}
