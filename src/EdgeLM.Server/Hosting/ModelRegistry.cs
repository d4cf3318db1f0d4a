using EdgeLM.Inference;
using EdgeLM.Inference.Scheduling;
using EdgeLM.Server.Http;
using Microsoft.Extensions.Logging;

namespace EdgeLM.Server.Hosting;

/// <summary>
/// The models a server knows, by name (file name without .gguf, or the alias given as alias=path), and the ones
/// loaded now. Models given with -m are loaded at start and stay; models found in --models-dir are loaded on
/// first use and unloaded after <see cref="ServerOptions.IdleUnload"/> without requests.
/// </summary>
public sealed class ModelRegistry : IDisposable
{
    private readonly ServerOptions _options;
    private readonly ILogger _log;
    private readonly Dictionary<string, (string Path, bool Pinned)> _known = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, ModelHost> _loaded = new(StringComparer.OrdinalIgnoreCase);
    private readonly SemaphoreSlim _loadLock = new(1, 1);
    private readonly Timer _sweeper;
    private readonly object _gate = new();

    public ModelRegistry(ServerOptions options, ILogger log)
    {
        _options = options;
        _log = log;
        foreach (var spec in options.Models)
        {
            int eq = spec.IndexOf('=');
            string path = eq > 0 && !File.Exists(spec) ? spec[(eq + 1)..] : spec;
            string name = eq > 0 && !File.Exists(spec) ? spec[..eq] : NameOf(path);
            if (!File.Exists(path))
                throw new FileNotFoundException($"model file not found: {path}", path);
            _known[name] = (Path.GetFullPath(path), true);
            DefaultModel ??= name;
        }
        ScanDirectory();
        if (_known.Count == 0)
            throw new ArgumentException("no models to serve: give -m MODEL or --models-dir DIR with .gguf files");
        _sweeper = new Timer(_ => Sweep(), null, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10));
    }

    /// <summary>The model used when a request names none.</summary>
    public string? DefaultModel { get; private set; }

    public static string NameOf(string path) => Path.GetFileNameWithoutExtension(path);

    /// <summary>Loads every -m model now, so the server is ready (and memory is checked) before it listens.</summary>
    public void LoadPinned()
    {
        foreach (var (name, entry) in _known.ToArray())
            if (entry.Pinned)
                Load(name, entry.Path, pinned: true);
    }

    public IReadOnlyList<(string Name, string Path)> Known()
    {
        lock (_gate)
        {
            ScanDirectory();
            return _known.Select(k => (k.Key, k.Value.Path)).OrderBy(k => k.Key, StringComparer.Ordinal).ToList();
        }
    }

    public IReadOnlyList<ModelHost> Loaded()
    {
        lock (_gate)
            return _loaded.Values.ToList();
    }

    /// <summary>The host serving <paramref name="name"/>, loaded if needed and marked in use until <see cref="ModelHost.Release"/>.</summary>
    public async Task<ModelHost> AcquireAsync(string? name, CancellationToken cancellation)
    {
        name = Canonical(name);
        lock (_gate)
        {
            if (_loaded.TryGetValue(name, out var host))
            {
                host.Acquire();
                return host;
            }
        }
        (string Path, bool Pinned) entry;
        lock (_gate)
        {
            if (!_known.TryGetValue(name, out entry))
            {
                ScanDirectory();
                if (!_known.TryGetValue(name, out entry))
                    throw new ApiException(404, $"the model '{name}' does not exist; GET /v1/models lists the models served here",
                        "invalid_request_error", "model", "model_not_found");
            }
        }
        await _loadLock.WaitAsync(cancellation);
        try
        {
            lock (_gate)
            {
                if (_loaded.TryGetValue(name, out var host))
                {
                    host.Acquire();
                    return host;
                }
            }
            var loaded = await Task.Run(() => Load(name, entry.Path, entry.Pinned), cancellation);
            loaded.Acquire();
            return loaded;
        }
        finally
        {
            _loadLock.Release();
        }
    }

    private string Canonical(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
            return DefaultModel ?? _known.Keys.Order(StringComparer.Ordinal).First();
        // Ollama clients add ":latest" to bare names.
        if (name.EndsWith(":latest", StringComparison.Ordinal))
            name = name[..^7];
        return name;
    }

    private ModelHost Load(string name, string path, bool pinned)
    {
        var model = Model.Load(path);
        try
        {
            var schedulerOptions = new BatchSchedulerOptions
            {
                Parallel = _options.Parallel,
                ContextLength = _options.ContextLength,
                Threads = _options.Threads,
                KvCacheType = _options.KvCacheType,
                MaxQueue = _options.MaxQueue,
                StepTokens = _options.StepTokens,
            };
            schedulerOptions.Validate();
            int ctx = schedulerOptions.ResolveContext(model);
            MemoryBudget.Check(name, new FileInfo(path).Length, schedulerOptions.KvBytes(model), _options.Parallel, ctx);
            var host = new ModelHost(name, path, model, new BatchScheduler(model, schedulerOptions), pinned);
            lock (_gate)
                _loaded[name] = host;
            _log.LogInformation("loaded model {Model} from {Path}: {Slots} slots × {Context} tokens, KV cache {KvMiB} MiB",
                name, path, _options.Parallel, ctx, MemoryBudget.Mib(schedulerOptions.KvBytes(model)));
            return host;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private void ScanDirectory()
    {
        if (_options.ModelsDirectory is not { } dir || !Directory.Exists(dir))
            return;
        foreach (var file in Directory.EnumerateFiles(dir, "*.gguf"))
            _known.TryAdd(NameOf(file), (Path.GetFullPath(file), false));
    }

    /// <summary>Unloads every on-demand model that is unused and past its keep-alive (also run every 10 s).</summary>
    public void Sweep()
    {
        List<ModelHost> idle;
        lock (_gate)
        {
            var now = DateTimeOffset.UtcNow;
            idle = _loaded.Values.Where(h => h.Users == 0 && h.ExpiresAt(_options.IdleUnload) is { } at && now >= at).ToList();
            foreach (var h in idle)
                _loaded.Remove(h.Name);
        }
        foreach (var h in idle)
        {
            _log.LogInformation("unloaded idle model {Model}", h.Name);
            h.Dispose();
        }
    }

    public void Dispose()
    {
        _sweeper.Dispose();
        lock (_gate)
        {
            foreach (var h in _loaded.Values)
                h.Dispose();
            _loaded.Clear();
        }
    }
}
