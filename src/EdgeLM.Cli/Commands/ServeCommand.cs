using System.CommandLine;
using EdgeLM.Server;
using EdgeLM.Server.Hosting;

namespace EdgeLM.Cli.Commands;

/// <summary>
/// `edgelm serve`: an OpenAI- and Ollama-compatible HTTP server with continuous batching. Prints
/// "listening on URL" on stdout once the models are loaded and the port is open (--port 0 picks a free port).
/// </summary>
public static class ServeCommand
{
    public static Command Create()
    {
        var models = new Option<string[]>("--model", "-m")
        {
            Description = "GGUF model to serve (a path, NAME=path for an alias, or a stored model name); repeatable. Served as its file name without .gguf.",
            AllowMultipleArgumentsPerToken = false,
        };
        var modelsDir = new Option<string?>("--models-dir") { Description = "Serve every .gguf in this folder, loading each on first use and unloading it when idle." };
        var host = new Option<string>("--host") { Description = "Address to listen on (default 127.0.0.1: loopback only).", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "TCP port; 0 picks a free one (default 8080).", DefaultValueFactory = _ => 8080 };
        var parallel = new Option<int>("--parallel", "-np") { Description = "Sequences generated at once per model (KV-cache slots, default 4).", DefaultValueFactory = _ => 4 };
        var ctx = CommonOptions.Context();
        var threads = CommonOptions.Threads();
        var kv = CommonOptions.KvType("f16");
        var apiKey = new Option<string?>("--api-key") { Description = "Require 'Authorization: Bearer KEY' on every route except /health (default: $EDGELM_API_KEY, else none)." };
        var maxQueue = new Option<int>("--max-queue") { Description = "Requests waiting for a slot before the server answers 503 (default 64).", DefaultValueFactory = _ => 64 };
        var maxBody = new Option<int>("--max-body-kb") { Description = "Largest request body in KiB (default 4096).", DefaultValueFactory = _ => 4096 };
        var idle = new Option<int>("--idle-unload") { Description = "Seconds an on-demand model stays loaded without requests (default 300).", DefaultValueFactory = _ => 300 };
        var driftWindow = new Option<int>("--drift-window") { Description = "Requests in the drift reference window (the first N) and live window (the last N); 0 turns drift detection off (default 200).", DefaultValueFactory = _ => 200 };
        var driftThreshold = new Option<double>("--drift-threshold") { Description = "PSI above which drift of a request statistic is logged as a warning (default 0.25).", DefaultValueFactory = _ => 0.25 };
        var command = new Command("serve", "Serve models over HTTP: OpenAI (/v1/chat/completions, /v1/completions, /v1/embeddings, /v1/models) and Ollama (/api/...) APIs.");
        foreach (Option o in new Option[] { models, modelsDir, host, port, parallel, ctx, threads, kv, apiKey, maxQueue, maxBody, idle, driftWindow, driftThreshold })
            command.Options.Add(o);
        command.SetAction(async (r, cancellation) =>
        {
            var modelArgs = (r.GetValue(models) ?? []).Select(ResolveModel).ToList();
            string? dir = r.GetValue(modelsDir);
            if (dir is not null && !Directory.Exists(dir))
                throw new UserFacingException($"--models-dir: folder not found: {dir}");
            if (modelArgs.Count == 0 && dir is null)
                modelArgs.Add(ModelLocator.Resolve(null));
            int p = r.GetValue(port);
            if (p is < 0 or > 65535)
                throw new UserFacingException($"--port must be in 0..65535, got {p}");
            var options = new ServerOptions
            {
                Models = modelArgs,
                ModelsDirectory = dir,
                Host = r.GetValue(host)!,
                Port = p,
                Parallel = r.GetValue(parallel),
                ContextLength = r.GetValue(ctx),
                Threads = r.GetValue(threads),
                KvCacheType = CommonOptions.ParseKvType(r.GetValue(kv)!),
                ApiKey = r.GetValue(apiKey) ?? Environment.GetEnvironmentVariable("EDGELM_API_KEY"),
                MaxQueue = r.GetValue(maxQueue),
                MaxBodyBytes = Math.Max(1, r.GetValue(maxBody)) * 1024L,
                IdleUnload = TimeSpan.FromSeconds(Math.Max(1, r.GetValue(idle))),
                DriftWindow = r.GetValue(driftWindow),
                DriftThreshold = r.GetValue(driftThreshold),
            };
            if (options.DriftWindow is < 0 or > 100_000)
                throw new UserFacingException($"--drift-window must be in 0..100000, got {options.DriftWindow}");
            if (!(options.DriftThreshold > 0) || double.IsInfinity(options.DriftThreshold))
                throw new UserFacingException($"--drift-threshold must be a positive number, got {options.DriftThreshold}");
            if (options.Parallel is < 1 or > 256)
                throw new UserFacingException($"--parallel must be in 1..256, got {options.Parallel}");
            return await CliErrors.RunAsync(async () =>
            {
                EdgeLmServer server;
                try
                {
                    server = await EdgeLmServer.StartAsync(options, cancellation);
                }
                catch (InsufficientMemoryException e)
                {
                    // Refused before anything large was allocated: a user error (too many slots or too long a context).
                    throw new UserFacingException(e.Message);
                }
                await using var running = server;
                Console.Out.WriteLine($"listening on {server.Url}");
                Console.Out.Flush();
                // Stop cleanly on Ctrl+C or SIGTERM (service managers, `kill`): the server is disposed on the way out.
                using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
                using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(
                    System.Runtime.InteropServices.PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
                using var sigint = System.Runtime.InteropServices.PosixSignalRegistration.Create(
                    System.Runtime.InteropServices.PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
                try
                {
                    await Task.Delay(Timeout.Infinite, stop.Token);
                }
                catch (OperationCanceledException)
                {
                }
                Console.Error.WriteLine("stopping");
                return 0;
            });
        });
        return command;
    }

    // NAME=path keeps its alias; anything else goes through the usual model lookup (paths, stored names).
    private static string ResolveModel(string spec)
    {
        int eq = spec.IndexOf('=');
        if (eq > 0 && !File.Exists(spec))
            return spec[..eq] + "=" + ModelLocator.Resolve(spec[(eq + 1)..]);
        return ModelLocator.Resolve(spec);
    }
}
