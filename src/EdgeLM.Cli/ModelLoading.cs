using System.Diagnostics;
using EdgeLM.Inference;
using EdgeLM.ModelStore;
using Spectre.Console;

namespace EdgeLM.Cli;

/// <summary>Loads a model for a verb, with a progress bar on stderr when stderr is a terminal.</summary>
public static class ModelLoading
{
    public static IAnsiConsole Stderr { get; } = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });

    /// <summary>
    /// Resolves and loads a model. Before loading, the memory it needs (mapped weights + a KV cache for
    /// <paramref name="contextLength"/> tokens; 0 = the default context) is compared with what the machine has
    /// free, and a model that cannot fit is refused with a message that says so instead of failing later.
    /// </summary>
    public static (Model Model, double LoadMs) Load(string? modelArgument, bool quiet = false, int contextLength = 0,
        KvCacheType kvType = KvCacheType.F16, int slots = 1)
    {
        string path = ModelLocator.Resolve(modelArgument);
        var estimate = Estimate(path, contextLength, kvType, slots);
        estimate.EnsureFits();
        if (!quiet && !Console.IsErrorRedirected)
            Console.Error.WriteLine($"memory: {estimate}");
        var clock = Stopwatch.StartNew();
        Model? model = null;
        if (!quiet && !Console.IsErrorRedirected)
        {
            Stderr.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask($"loading {Markup.Escape(Path.GetFileName(path))}");
                    model = Model.Load(path, new Progress<double>(p => task.Value = p * 100));
                    task.Value = 100;
                });
        }
        else
            model = Model.Load(path);
        return (model!, clock.Elapsed.TotalMilliseconds);
    }

    /// <summary>Weights + KV cache for the context a session would use (the same default as <see cref="SessionOptions"/>).</summary>
    public static MemoryEstimate Estimate(string path, int contextLength, KvCacheType kvType, int slots)
    {
        using var files = EdgeLM.Gguf.SplitGguf.Open(path);
        string arch = files.Metadata.GetStringOrNull("general.architecture") ?? "";
        int ctx = contextLength > 0 ? contextLength : Math.Min(files.Metadata.GetInt32Or(arch + ".context_length", 2048), 4096);
        return MemoryEstimate.For(files, ctx, slots, kvType == KvCacheType.F16 ? 2 : 4);
    }
}
