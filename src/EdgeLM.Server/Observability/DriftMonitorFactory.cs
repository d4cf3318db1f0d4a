using EdgeLM.Server.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeLM.Server.Observability;

/// <summary>Builds the server's drift monitor from its options (none when --drift-window is 0).</summary>
public static class DriftMonitorFactory
{
    public static DriftMonitor? Create(ServerOptions options, ILogger log) =>
        options.DriftWindow > 0 ? new DriftMonitor(options.DriftWindow, options.DriftThreshold, log) : null;
}
