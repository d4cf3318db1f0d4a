using System.CommandLine;
using EdgeLM.ModelStore;
using Spectre.Console;

namespace EdgeLM.Cli;

/// <summary>`edgelm pull SOURCE`: downloads a model into the store with a progress bar on stderr.</summary>
public static class PullCommand
{
    public static Command Create()
    {
        var source = new Argument<string>("source")
        {
            Description = "hf.co/ORG/REPO:QUANT (quantization picked from the repository's file names), hf.co/ORG/REPO/FILE.gguf, or an https:// URL of a .gguf file",
        };
        var endpoint = new Option<string>("--endpoint")
        {
            Description = "Hugging Face endpoint (default: $HF_ENDPOINT or https://huggingface.co); $HF_TOKEN is sent to it as a bearer token",
        };
        var name = new Option<string>("--name")
        {
            Description = "store the model under this name (model:tag) instead of the one derived from the source",
        };
        var command = new Command("pull", "Download a GGUF model into the local model store (resumable, SHA-256 verified)");
        command.Arguments.Add(source);
        command.Options.Add(endpoint);
        command.Options.Add(name);
        command.SetAction((parse, ct) => CliErrors.RunAsync(() => RunAsync(parse.GetValue(source)!, parse.GetValue(endpoint), parse.GetValue(name), ct)));
        return command;
    }

    private static async Task<int> RunAsync(string source, string? endpoint, string? nameText, CancellationToken ct)
    {
        ModelName? name = null;
        if (nameText is not null)
        {
            var parsed = ModelName.TryParse(nameText) ?? throw new UserFacingException($"'{nameText}' is not a valid model name (model:tag, lower case letters, digits, . _ + -)");
            name = new ModelName(parsed.Model, parsed.Tag ?? ModelName.DefaultTag);
        }
        var store = ModelStore.ModelStore.Default();
        var stderr = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        using var client = ModelPuller.CreateHttpClient();
        var puller = new ModelPuller(store, client);
        var baseOptions = new PullOptions
        {
            Endpoint = PullOptions.EndpointFrom(endpoint),
            Token = Environment.GetEnvironmentVariable("HF_TOKEN") is { Length: > 0 } t ? t : null,
            Name = name,
        };
        PullResult result;
        if (Console.IsErrorRedirected)
        {
            // No terminal to draw a bar on: plain lines, unwrapped, so logs keep whole hashes and URLs.
            result = await puller.PullAsync(source, CopyWith(baseOptions, null, Console.Error.WriteLine), ct);
        }
        else
        {
            PullResult? fromBars = null;
            await stderr.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new DownloadedColumn(),
                    new TransferSpeedColumn(), new RemainingTimeColumn())
                .StartAsync(async ctx =>
                {
                    var options = CopyWith(baseOptions, new ProgressBars(ctx), line => stderr.MarkupLine(Markup.Escape(line)));
                    fromBars = await puller.PullAsync(source, options, ct);
                });
            result = fromBars!;
        }
        foreach (var f in result.Files)
        {
            string state = f.AlreadyPresent ? "already in the store" : f.Verified ? $"sha256 {f.Sha256} verified" : $"sha256 {f.Sha256} (not announced by the server)";
            Console.Error.WriteLine($"{Path.GetFileName(f.Path)}: {state}");
        }
        Console.WriteLine(result.Model.Name.ToString());
        return 0;
    }

    private static PullOptions CopyWith(PullOptions o, IProgress<DownloadProgress>? progress, Action<string> log) => new()
    {
        Endpoint = o.Endpoint,
        Token = o.Token,
        Name = o.Name,
        Progress = progress,
        Log = log,
    };

    /// <summary>One Spectre task per file, updated directly from the download loop (no synchronization context).</summary>
    private sealed class ProgressBars(ProgressContext context) : IProgress<DownloadProgress>
    {
        private readonly Dictionary<string, ProgressTask> _tasks = new();

        public void Report(DownloadProgress value)
        {
            lock (_tasks)
            {
                if (!_tasks.TryGetValue(value.FileName, out var task))
                    _tasks[value.FileName] = task = context.AddTask(Markup.Escape(value.FileName), maxValue: Math.Max(1, value.Total ?? 1));
                if (value.Total is long total)
                    task.MaxValue = Math.Max(1, total);
                task.Value = value.Downloaded;
                if (value.Finished)
                    task.StopTask();
            }
        }
    }
}
