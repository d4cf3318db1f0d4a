using EdgeLM.Server.Hosting;
using EdgeLM.Server.Http;
using EdgeLM.Server.Observability;
using EdgeLM.Server.OpenAi;
using EdgeLM.Server.Ollama;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EdgeLM.Server;

/// <summary>
/// The HTTP server of `edgelm serve`: Kestrel with OpenAI-compatible routes (/v1/...), Ollama-compatible routes
/// (/api/...), /health, /metrics (Prometheus) and /slots. Models are loaded (and their memory checked) before the
/// server listens.
/// </summary>
public sealed class EdgeLmServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ModelRegistry _registry;

    private EdgeLmServer(WebApplication app, ModelRegistry registry, string url)
    {
        _app = app;
        _registry = registry;
        Url = url;
    }

    /// <summary>The address the server listens on, e.g. http://127.0.0.1:8080.</summary>
    public string Url { get; }

    public ModelRegistry Registry => _registry;

    public static async Task<EdgeLmServer> StartAsync(ServerOptions options, CancellationToken cancellation = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        // Logs go to stderr; stdout carries only the "listening on" line a supervisor or test reads.
        builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = options.MaxBodyBytes;
            k.AddServerHeader = false;
            if (System.Net.IPAddress.TryParse(options.Host, out var ip))
                k.Listen(ip, options.Port);
            else if (options.Host == "localhost")
                k.ListenLocalhost(options.Port);
            else
                throw new ArgumentException($"--host must be an IP address or localhost, not '{options.Host}'");
        });
        var app = builder.Build();
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("edgelm.server");
        var registry = new ModelRegistry(options, log);
        try
        {
            await Task.Run(registry.LoadPinned, cancellation);
            var server = new ServerContext(options, registry, new ServerMetrics { Drift = DriftMonitorFactory.Create(options, log) }, log);
            Map(app, server);
            await app.StartAsync(cancellation);
            string url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new EdgeLmServer(app, registry, url.Replace("[::1]", "localhost"));
        }
        catch
        {
            registry.Dispose();
            await app.DisposeAsync();
            throw;
        }
    }

    private static void Map(WebApplication app, ServerContext s)
    {
        void Post(string route, ErrorStyle style, Func<ServerContext, HttpContext, RequestScope, Task> h) =>
            app.MapPost(route, ApiEndpoint.Wrap(s, route, style, true, (c, r) => h(s, c, r)));
        void Get(string route, ErrorStyle style, Func<ServerContext, HttpContext, RequestScope, Task> h, bool auth = true) =>
            app.MapGet(route, ApiEndpoint.Wrap(s, route, style, auth, (c, r) => h(s, c, r)));

        Post("/v1/chat/completions", ErrorStyle.OpenAi, ChatCompletionsEndpoint.Handle);
        Post("/v1/completions", ErrorStyle.OpenAi, CompletionsEndpoint.Handle);
        Post("/v1/embeddings", ErrorStyle.OpenAi, EmbeddingsEndpoint.Handle);
        Get("/v1/models", ErrorStyle.OpenAi, ModelsEndpoint.List);
        Get("/v1/models/{id}", ErrorStyle.OpenAi, ModelsEndpoint.Get);
        Post("/api/generate", ErrorStyle.Ollama, OllamaGenerateEndpoints.Generate);
        Post("/api/chat", ErrorStyle.Ollama, OllamaGenerateEndpoints.Chat);
        Post("/api/embed", ErrorStyle.Ollama, OllamaInfoEndpoints.Embed);
        Post("/api/show", ErrorStyle.Ollama, OllamaInfoEndpoints.Show);
        Get("/api/tags", ErrorStyle.Ollama, OllamaInfoEndpoints.Tags);
        Get("/api/ps", ErrorStyle.Ollama, OllamaInfoEndpoints.Ps);
        Get("/api/version", ErrorStyle.Ollama, OllamaInfoEndpoints.VersionInfo);
        Get("/health", ErrorStyle.OpenAi, Health, auth: false);
        Get("/metrics", ErrorStyle.OpenAi, Metrics);
        Get("/slots", ErrorStyle.OpenAi, Slots);
        // Anything else: OpenAI-style 404 (or 405 for a known route with the wrong method, which routing answers).
        app.MapFallback(ApiEndpoint.Wrap(s, "(unknown)", ErrorStyle.OpenAi, false, (c, _) =>
            throw new ApiException(404, $"no route {c.Request.Method} {c.Request.Path}", "invalid_request_error", null, "not_found")));
    }

    private static Task Health(ServerContext s, HttpContext c, RequestScope r) =>
        JsonResponse.WriteAsync(c, 200, w =>
        {
            w.WriteStartObject();
            w.WriteString("status", "ok");
            w.WriteNumber("models_loaded", s.Registry.Loaded().Count);
            w.WriteEndObject();
        });

    private static async Task Metrics(ServerContext s, HttpContext c, RequestScope r)
    {
        c.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
        await c.Response.WriteAsync(s.Metrics.Render(s.Registry), c.RequestAborted);
    }

    private static Task Slots(ServerContext s, HttpContext c, RequestScope r) =>
        JsonResponse.WriteAsync(c, 200, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("models");
            foreach (var h in s.Registry.Loaded())
            {
                var snap = h.Scheduler.Snapshot();
                w.WriteStartObject();
                w.WriteString("model", h.Name);
                w.WriteNumber("slots", snap.Slots);
                w.WriteNumber("busy", snap.BusySlots);
                w.WriteNumber("queued", snap.Queued);
                w.WriteNumber("cached_tokens", snap.CachedTokens);
                w.WriteNumber("context_length", h.Scheduler.ContextLength);
                w.WriteNumber("users", h.Users);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });


    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        _registry.Dispose();
        await _app.DisposeAsync();
    }
}
