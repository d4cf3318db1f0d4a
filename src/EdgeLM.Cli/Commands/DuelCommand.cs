using System.CommandLine;
using System.Globalization;
using EdgeLM.Benchmarks.Duel;
using EdgeLM.Benchmarks.Reports;
using Spectre.Console;

namespace EdgeLM.Cli.Commands;

/// <summary>
/// `edgelm duel`: the same task packs against several providers (local GGUF models in-process, OpenAI-compatible
/// endpoints over HTTP), scored for correctness and timed; the ranking puts quality first, speed breaks ties.
/// Without a config it runs the built-in packs against -m (or the built-in model).
/// </summary>
public static class DuelCommand
{
    public static Command Create()
    {
        var config = new Option<string?>("--config") { Description = "duel.yaml: tasks and providers (see docs/benchmarks.md)." };
        var model = new Option<string?>("--model", "-m") { Description = "Local GGUF models to add as providers, comma-separated. Default without --config: the built-in model." };
        var tasks = new Option<string?>("--tasks") { Description = "Built-in packs to run, comma-separated (arithmetic, json, sentiment); replaces the config's tasks." };
        var threads = CommonOptions.Threads();
        var outputs = new ReportOptions();
        var command = new Command("duel", "Run task packs against local models and OpenAI-compatible endpoints; rank by quality, then speed.");
        foreach (Option o in new Option[] { config, model, tasks, threads })
            command.Options.Add(o);
        outputs.AddTo(command);
        command.SetAction((r, cancellation) => CliErrors.RunAsync(async () =>
        {
            var cfg = r.GetValue(config) is string path ? DuelConfig.Load(path) : new DuelConfig(BuiltInPacks.All(), []);
            var packs = r.GetValue(tasks) is string names ? ReportOptions.List(names).Select(BuiltInPacks.Get).ToArray() : cfg.Packs;
            var specs = cfg.Providers.ToList();
            var models = ReportOptions.List(r.GetValue(model));
            if (models.Length == 0 && specs.Count == 0)
                models = [""];
            foreach (string m in models)
                specs.Add(new ProviderSpec(m.Length == 0 ? "edgelm-tiny" : Path.GetFileNameWithoutExtension(m), "local", m, null, null, OpenAiApi.Completions, r.GetValue(threads), 120));
            if (specs.Select(s => s.Name).Distinct().Count() != specs.Count)
                throw new UserFacingException("provider names must be unique (a -m model has the same name as a configured provider)");
            var baseline = outputs.LoadBaseline(r);
            var providers = new List<IDuelProvider>();
            try
            {
                foreach (var spec in specs)
                    providers.Add(spec.Create(ModelLocator.Resolve, Environment.GetEnvironmentVariable));
                var progress = new Progress<ExampleOutcome>(o =>
                {
                    if (!Console.IsErrorRedirected)
                        Console.Error.WriteLine($"duel: {o.Provider} {o.Task}: {(o.Correct ? "ok" : "wrong")}{(o.Error is null ? "" : " (" + o.Error + ")")}");
                });
                var outcomes = await DuelRunner.RunAsync(providers, packs, progress, cancellation);
                var report = DuelRunner.ToReport(outcomes);
                if (!outputs.WriteFiles(r, report))
                    Print(report);
                return ReportOptions.CheckBaseline(report, baseline);
            }
            finally
            {
                foreach (var p in providers)
                    p.Dispose();
            }
        }));
        return command;
    }

    private static void Print(Report report)
    {
        var ranking = new Table().Title("ranking (quality first, then latency)").AddColumns("rank", "provider", "correct", "accuracy", "mean latency ms", "tokens/s", "errors");
        foreach (var e in report.Ranking)
            ranking.AddRow(e.Rank.ToString(CultureInfo.InvariantCulture), Markup.Escape(e.Provider), $"{e.Correct}/{e.Total}",
                e.Accuracy.ToString("P1", CultureInfo.InvariantCulture), e.MeanLatencyMs.ToString("F1", CultureInfo.InvariantCulture),
                e.MeanTokensPerSecond.ToString("F1", CultureInfo.InvariantCulture), e.Errors.ToString(CultureInfo.InvariantCulture));
        var detail = new Table().Title("per provider and task").AddColumns("provider", "task", "correct", "TTFT ms", "latency ms", "tokens/s", "tokens");
        foreach (var row in report.Rows)
            detail.AddRow(Markup.Escape(row.Label("provider")), Markup.Escape(row.Label("task")), row.Label("correct"),
                ReportOptions.Cell(row.Metric("ttft_ms")), ReportOptions.Cell(row.Metric("latency_ms")),
                ReportOptions.Cell(row.Metric("tokens_per_s")), ReportOptions.Cell(row.Metric("tokens")));
        ReportOptions.Console.Write(ranking);
        ReportOptions.Console.Write(detail);
        foreach (string note in report.Notes)
            Console.WriteLine(note);
    }
}
