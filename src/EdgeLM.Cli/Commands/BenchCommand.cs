using System.CommandLine;
using System.Globalization;
using EdgeLM.Benchmarks.Baselines;
using EdgeLM.Benchmarks.Bench;
using EdgeLM.Benchmarks.Reports;
using EdgeLM.Benchmarks.Telemetry;
using Spectre.Console;

namespace EdgeLM.Cli.Commands;

/// <summary>
/// `edgelm bench`: llama-bench's measurement (pp = random prompt tokens from an empty cache, tg = tokens decoded
/// one at a time from an empty cache), swept over models × threads × lengths, with time to first token, CPU
/// time, peak RSS and RAPL energy per token, each as mean ± 95% confidence interval over the repetitions.
/// </summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var model = new Option<string?>("--model", "-m") { Description = "GGUF models, comma-separated (paths or stored names). Default: the built-in edgelm-tiny model." };
        var pp = new Option<string>("--n-prompt", "-p") { Description = "Prompt lengths for pp tests, comma-separated; 0 skips pp (default 512).", DefaultValueFactory = _ => "512" };
        var tg = new Option<string>("--n-gen", "-n") { Description = "Generation lengths for tg tests, comma-separated; 0 skips tg (default 128).", DefaultValueFactory = _ => "128" };
        var threads = new Option<string?>("--threads", "-t") { Description = "Thread counts, comma-separated (default: one per core)." };
        var reps = new Option<int>("--repetitions", "-r") { Description = "Measured repetitions per test (default 5).", DefaultValueFactory = _ => 5 };
        var batch = new Option<int>("--ubatch-size", "-ub") { Description = "Tokens per forward pass in pp (default 512).", DefaultValueFactory = _ => 512 };
        var kv = CommonOptions.KvType("f16");
        var md = new Option<bool>("--md") { Description = "Print a Markdown table instead of the console table." };
        var rapl = new Option<string>("--rapl-root") { Description = "Powercap folder for RAPL energy (default /sys/class/powercap).", DefaultValueFactory = _ => RaplEnergyMeter.DefaultRoot, Hidden = true };
        var outputs = new ReportOptions();
        var command = new Command("bench", "Measure prompt processing (pp), generation (tg), time to first token, CPU, memory and energy, like llama-bench.");
        foreach (Option o in new Option[] { model, pp, tg, threads, reps, batch, kv, md, rapl })
            command.Options.Add(o);
        outputs.AddTo(command);
        command.SetAction(r =>
        {
            var models = ReportOptions.List(r.GetValue(model)).DefaultIfEmpty("").Select(ModelLocator.Resolve).ToArray();
            var plan = new BenchPlan
            {
                Models = models,
                Threads = r.GetValue(threads) is string t ? ReportOptions.Integers(t, "-t") : [Environment.ProcessorCount],
                PromptLengths = ReportOptions.Integers(r.GetValue(pp)!, "-p"),
                GenerationLengths = ReportOptions.Integers(r.GetValue(tg)!, "-n"),
                Repetitions = r.GetValue(reps),
                BatchSize = r.GetValue(batch),
                KvCacheType = CommonOptions.ParseKvType(r.GetValue(kv)),
            };
            try
            {
                plan.Validate();
            }
            catch (ArgumentException e)
            {
                throw new UserFacingException(e.Message);
            }
            var baseline = outputs.LoadBaseline(r);
            var runner = new BenchRunner(RaplEnergyMeter.Open(r.GetValue(rapl)!));
            var report = runner.Run(plan, new Progress<string>(s => { if (!Console.IsErrorRedirected) Console.Error.WriteLine($"bench: {s}"); }));
            bool jsonOnStdout = outputs.WriteFiles(r, report);
            if (!jsonOnStdout)
            {
                if (r.GetValue(md))
                    WriteMarkdown(report);
                else
                    ReportOptions.Console.Write(Table(report));
                foreach (string note in report.Notes)
                    Console.WriteLine(note);
            }
            return ReportOptions.CheckBaseline(report, baseline);
        });
        return command;
    }

    private static Table Table(Report report)
    {
        var table = new Table().Title("edgelm bench").AddColumns("model", "threads", "test", "t/s", "TTFT ms", "CPU ms", "peak RSS MiB", "J/token");
        foreach (var row in report.Rows)
            table.AddRow(Markup.Escape(row.Label("model")), row.Label("n_threads"), row.Label("test"),
                ReportOptions.Cell(row.Metric("ts")), ReportOptions.Cell(row.Metric("ttft_ms")), ReportOptions.Cell(row.Metric("cpu_ms")),
                ReportOptions.Cell(row.Metric("peak_rss_mib")), ReportOptions.Cell(row.Metric("energy_j_per_token")));
        return table;
    }

    private static void WriteMarkdown(Report report)
    {
        Console.WriteLine("| model | threads | test | t/s | TTFT ms | CPU ms | peak RSS MiB | J/token |");
        Console.WriteLine("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var row in report.Rows)
            Console.WriteLine($"| {row.Label("model")} | {row.Label("n_threads")} | {row.Label("test")} | {ReportOptions.Cell(row.Metric("ts"))} | {ReportOptions.Cell(row.Metric("ttft_ms"))} | {ReportOptions.Cell(row.Metric("cpu_ms"))} | {ReportOptions.Cell(row.Metric("peak_rss_mib"))} | {ReportOptions.Cell(row.Metric("energy_j_per_token"))} |");
    }
}

/// <summary>
/// The report outputs bench and duel share: --json [FILE] (stdout without a file), --csv FILE, --html FILE and
/// --baseline FILE (exit code 1 when a metric regressed beyond its confidence interval).
/// </summary>
public sealed class ReportOptions
{
    public Option<string?> Json { get; } = new("--json") { Description = "Write the JSON report to FILE (stdout without FILE).", Arity = ArgumentArity.ZeroOrOne };
    public Option<string?> Csv { get; } = new("--csv") { Description = "Write a CSV report to FILE." };
    public Option<string?> Html { get; } = new("--html") { Description = "Write a self-contained HTML report with charts to FILE." };
    public Option<string?> Baseline { get; } = new("--baseline") { Description = "Compare with a saved --json report; exit 1 when a metric got worse beyond its 95% interval." };

    /// <summary>stdout as a Spectre console that never wraps tables when redirected to a file or pipe.</summary>
    public static IAnsiConsole Console { get; } = CreateConsole();

    public void AddTo(Command command)
    {
        foreach (Option o in new Option[] { Json, Csv, Html, Baseline })
            command.Options.Add(o);
    }

    /// <summary>Read before the run, so a bad baseline fails in a second, not after minutes of measuring.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<Metric>>? LoadBaseline(ParseResult r) =>
        r.GetValue(Baseline) is string path ? BaselineComparison.Load(path) : null;

    /// <summary>Writes the requested files; true when the JSON went to stdout (then nothing else may).</summary>
    public bool WriteFiles(ParseResult r, Report report)
    {
        bool jsonRequested = r.GetResult(Json) is not null;
        string? jsonPath = r.GetValue(Json);
        if (jsonPath is not null)
            ReportFile.Write(jsonPath, JsonReportWriter.ToString(report));
        if (r.GetValue(Csv) is string csv)
            ReportFile.Write(csv, CsvReportWriter.ToString(report));
        if (r.GetValue(Html) is string html)
            ReportFile.Write(html, HtmlReportWriter.ToString(report));
        if (jsonRequested && jsonPath is null)
        {
            System.Console.Out.Write(JsonReportWriter.ToString(report));
            System.Console.Out.WriteLine();
            return true;
        }
        return false;
    }

    public static int CheckBaseline(Report report, IReadOnlyDictionary<string, IReadOnlyList<Metric>>? baseline)
    {
        if (baseline is null)
            return 0;
        var regressions = BaselineComparison.Compare(report, baseline);
        foreach (var reg in regressions)
            System.Console.Error.WriteLine($"regression: {reg}");
        if (regressions.Count == 0)
            System.Console.Error.WriteLine("baseline: no metric got worse beyond its 95% confidence interval");
        return regressions.Count == 0 ? 0 : 1;
    }

    public static string Cell(Metric? m) => m switch
    {
        null => "",
        { Summary: { } s } => s.Ci95 > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{s.Mean:G4} ± {s.Ci95:G3}")
            : s.Mean.ToString("G4", CultureInfo.InvariantCulture),
        _ => "n/a",
    };

    public static string[] List(string? value) =>
        (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static int[] Integers(string value, string option)
    {
        var parts = List(value);
        if (parts.Length == 0)
            throw new UserFacingException($"{option} needs at least one number");
        return parts.Select(p => int.TryParse(p, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v)
            ? v
            : throw new UserFacingException($"{option}: '{p}' is not an integer")).ToArray();
    }

    private static IAnsiConsole CreateConsole()
    {
        // Redirected output is for files and tests: plain text, no colour escapes.
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(System.Console.Out),
            Ansi = System.Console.IsOutputRedirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = System.Console.IsOutputRedirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
        });
        if (System.Console.IsOutputRedirected)
            console.Profile.Width = 240;
        return console;
    }
}
