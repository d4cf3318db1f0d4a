using EdgeLM.Inference;
using EdgeLM.Inference.Chat;
using EdgeLM.Inference.Scheduling;
using EdgeLM.Templates;

namespace EdgeLM.Server.Hosting;

/// <summary>A loaded model as the server serves it: its scheduler, chat template and usage count.</summary>
public sealed class ModelHost : IDisposable
{
    private int _users;

    public ModelHost(string name, string path, Model model, BatchScheduler scheduler, bool pinned)
    {
        Name = name;
        Path = path;
        Model = model;
        Scheduler = scheduler;
        Pinned = pinned;
        Template = ChatSession.TemplateFor(model);
        LastUsed = DateTimeOffset.UtcNow;
        FileBytes = new FileInfo(path).Length;
    }

    public string Name { get; }
    public string Path { get; }
    public Model Model { get; }
    public BatchScheduler Scheduler { get; }
    public ChatTemplate Template { get; }
    public long FileBytes { get; }

    /// <summary>Loaded with -m: never unloaded for idleness.</summary>
    public bool Pinned { get; }

    public DateTimeOffset LastUsed { get; private set; }

    private long _keepAliveTicks = long.MinValue;

    /// <summary>
    /// The keep-alive the latest request asked for (Ollama's keep_alive), or null to use the server's --idle-unload;
    /// <see cref="Timeout.InfiniteTimeSpan"/> keeps the model loaded. Ignored for pinned (-m) models.
    /// </summary>
    public TimeSpan? KeepAlive
    {
        get => Interlocked.Read(ref _keepAliveTicks) is var t && t != long.MinValue ? TimeSpan.FromTicks(t) : null;
        set => Interlocked.Exchange(ref _keepAliveTicks, value?.Ticks ?? long.MinValue);
    }

    /// <summary>When the model may be unloaded if unused until then; null for never (pinned, or kept alive).</summary>
    public DateTimeOffset? ExpiresAt(TimeSpan idleUnload)
    {
        if (Pinned)
            return null;
        var keep = KeepAlive ?? idleUnload;
        return keep == Timeout.InfiniteTimeSpan ? null : LastUsed + keep;
    }

    public int Users => Volatile.Read(ref _users);

    public void Acquire()
    {
        Interlocked.Increment(ref _users);
        LastUsed = DateTimeOffset.UtcNow;
    }

    public void Release()
    {
        Interlocked.Decrement(ref _users);
        LastUsed = DateTimeOffset.UtcNow;
    }

    public string RenderChat(IReadOnlyList<ChatMessage> messages, System.Text.Json.Nodes.JsonArray? tools)
    {
        var tk = Model.Tokenizer;
        string? bos = tk.BosId is { } b ? tk.TokenText(b) : null;
        string? eos = tk.EosId is { } e ? tk.TokenText(e) : null;
        return Template.Apply(messages, addGenerationPrompt: true, bos, eos, tools);
    }

    public int[] Encode(string text) => PromptEncoding.Encode(Model.Tokenizer, text, parseSpecial: true);

    public void Dispose()
    {
        Scheduler.Dispose();
        Model.Dispose();
    }
}
