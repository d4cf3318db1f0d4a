using EdgeLM.Benchmarks.Reports;

namespace EdgeLM.Benchmarks.Duel;

/// <summary>One example's outcome for one provider.</summary>
public sealed record ExampleOutcome(string Provider, string Task, TaskExample Example, bool Correct, Completion? Completion, string? Error);

/// <summary>
/// Runs every task pack against every provider. Providers run concurrently (they are independent machines or
/// models); within a provider tasks and examples run one after another so one provider's timings are not
/// disturbed by its own parallel requests.
/// </summary>
public static class DuelRunner
{
    public static async Task<IReadOnlyList<ExampleOutcome>> RunAsync(IReadOnlyList<IDuelProvider> providers, IReadOnlyList<TaskPack> packs,
        IProgress<ExampleOutcome>? progress = null, CancellationToken cancellation = default)
    {
        if (providers.Select(p => p.Name).Distinct(StringComparer.Ordinal).Count() != providers.Count)
            throw new ArgumentException("provider names must be unique");
        var runs = providers.Select(p => RunProviderAsync(p, packs, progress, cancellation)).ToArray();
        var all = await Task.WhenAll(runs).ConfigureAwait(false);
        return all.SelectMany(o => o).ToArray();
    }

    private static async Task<List<ExampleOutcome>> RunProviderAsync(IDuelProvider provider, IReadOnlyList<TaskPack> packs,
        IProgress<ExampleOutcome>? progress, CancellationToken cancellation)
    {
        var outcomes = new List<ExampleOutcome>();
        foreach (var pack in packs)
        {
            foreach (var example in pack.Examples)
            {
                ExampleOutcome outcome;
                try
                {
                    var completion = await provider.CompleteAsync(example.Prompt, pack.MaxTokens, cancellation).ConfigureAwait(false);
                    outcome = new ExampleOutcome(provider.Name, pack.Name, example, pack.IsCorrect(completion.Text, example), completion, null);
                }
                catch (Exception e) when (e is HttpRequestException or InvalidDataException or IOException
                    || (e is TaskCanceledException && !cancellation.IsCancellationRequested))
                {
                    // A failed request is a wrong answer with a reason, not the end of the duel for the others.
                    outcome = new ExampleOutcome(provider.Name, pack.Name, example, false, null, e is TaskCanceledException ? "timed out" : e.Message);
                }
                outcomes.Add(outcome);
                progress?.Report(outcome);
            }
        }
        return outcomes;
    }

    /// <summary>One report row per provider and task: accuracy, TTFT, latency, tokens/s and tokens per example.</summary>
    public static Report ToReport(IReadOnlyList<ExampleOutcome> outcomes)
    {
        var rows = new List<ReportRow>();
        foreach (var group in outcomes.GroupBy(o => (o.Provider, o.Task)))
        {
            var answered = group.Where(o => o.Completion is not null).Select(o => o.Completion!).ToArray();
            var metrics = new List<Metric> { Metric.Of("accuracy", "fraction", Better.Higher, group.Select(o => o.Correct ? 1.0 : 0.0).ToArray()) };
            if (answered.Length > 0)
            {
                metrics.Add(Metric.Of("ttft_ms", "ms", Better.Lower, answered.Select(c => c.TtftMs).ToArray()));
                metrics.Add(Metric.Of("latency_ms", "ms", Better.Lower, answered.Select(c => c.TotalMs).ToArray()));
                metrics.Add(Metric.Of("tokens_per_s", "tokens/s", Better.Higher, answered.Select(c => c.TokensPerSecond).ToArray()));
                metrics.Add(Metric.Of("tokens", "tokens", Better.Lower, answered.Select(c => (double)(c.PromptTokens + c.CompletionTokens)).ToArray()));
            }
            int errors = group.Count(o => o.Error is not null);
            rows.Add(new ReportRow($"{group.Key.Provider}/{group.Key.Task}",
                [new("provider", group.Key.Provider), new("task", group.Key.Task),
                 new("correct", $"{group.Count(o => o.Correct)}/{group.Count()}"), new("errors", errors.ToString(System.Globalization.CultureInfo.InvariantCulture))],
                metrics));
        }
        var notes = outcomes.Where(o => o.Error is not null).GroupBy(o => o.Provider)
            .Select(g => $"{g.Key}: {g.Count()} failed request(s), first: {g.First().Error}").ToArray();
        return new Report("duel", "EdgeLM duel", rows) { Ranking = Rank(outcomes), Notes = notes };
    }

    /// <summary>Quality first (correct answers over all tasks); mean latency breaks ties, then tokens/s.</summary>
    public static IReadOnlyList<RankEntry> Rank(IReadOnlyList<ExampleOutcome> outcomes)
    {
        var entries = outcomes.GroupBy(o => o.Provider).Select(g =>
        {
            var answered = g.Where(o => o.Completion is not null).Select(o => o.Completion!).ToArray();
            return new RankEntry(0, g.Key, g.Count(o => o.Correct), g.Count(),
                answered.Length > 0 ? answered.Average(c => c.TotalMs) : double.PositiveInfinity,
                answered.Length > 0 ? answered.Average(c => c.TokensPerSecond) : 0,
                g.Count(o => o.Error is not null));
        });
        return entries
            .OrderByDescending(e => e.Accuracy)
            .ThenBy(e => e.MeanLatencyMs)
            .ThenByDescending(e => e.MeanTokensPerSecond)
            .ThenBy(e => e.Provider, StringComparer.Ordinal)
            .Select((e, i) => e with { Rank = i + 1 })
            .ToArray();
    }
}
