using System.Diagnostics;
using EdgeLM.Inference;
using Spectre.Console;

namespace EdgeLM.Cli;

/// <summary>Loads a model for a verb, with a progress bar on stderr when stderr is a terminal.</summary>
public static class ModelLoading
{
    public static IAnsiConsole Stderr { get; } = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });

    public static (Model Model, double LoadMs) Load(string? modelArgument, bool quiet = false)
    {
        string path = ModelLocator.Resolve(modelArgument);
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
}
