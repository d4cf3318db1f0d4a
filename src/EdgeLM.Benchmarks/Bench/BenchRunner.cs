using System.Diagnostics;
using System.Globalization;
using EdgeLM.Benchmarks.Reports;
using EdgeLM.Benchmarks.Telemetry;
using EdgeLM.Inference;
using EdgeLM.Inference.Sampling;

namespace EdgeLM.Benchmarks.Bench;

/// <summary>
/// Runs a <see cref="BenchPlan"/>. pp = a prompt of seeded random tokens evaluated in batches from an empty cache;
/// tg = tokens decoded one at a time from an empty cache (llama-bench's definitions). Each test has one warm-up
/// run (JIT, page faults of the mapping), then the measured repetitions. Per repetition it records tokens/s, CPU
/// time and, where RAPL is readable, package energy per token; pp also records time to first token (prefill plus
/// choosing the first token). Peak RSS is the process high-water mark after the test.
/// </summary>
public sealed class BenchRunner(RaplEnergyMeter energy)
{
    private const string EnergyMetric = "energy_j_per_token";

    public Report Run(BenchPlan plan, IProgress<string>? progress = null)
    {
        plan.Validate();
        var rows = new List<ReportRow>();
        foreach (string path in plan.Models)
        {
            using var model = Model.Load(path);
            string name = Path.GetFileName(path);
            int ctx = Math.Max(2, Math.Max(plan.PromptLengths.DefaultIfEmpty(0).Max() + 1, plan.GenerationLengths.DefaultIfEmpty(0).Max() + 1));
            foreach (int threads in plan.Threads)
            {
                using var session = new InferenceSession(model, new SessionOptions
                {
                    ContextLength = ctx,
                    Threads = threads,
                    BatchSize = plan.BatchSize,
                    KvCacheType = plan.KvCacheType,
                });
                foreach (int p in plan.PromptLengths.Where(p => p > 0))
                {
                    progress?.Report($"{name} t={threads} pp{p}");
                    rows.Add(MeasurePrompt(session, name, threads, p, plan.Repetitions));
                }
                foreach (int n in plan.GenerationLengths.Where(n => n > 0))
                {
                    progress?.Report($"{name} t={threads} tg{n}");
                    rows.Add(MeasureGeneration(session, name, threads, n, plan.Repetitions));
                }
            }
        }
        var notes = energy.IsAvailable ? Array.Empty<string>() : [$"energy per token: n/a ({energy.Unavailable})"];
        return new Report("bench", "EdgeLM bench", rows) { Notes = notes };
    }

    private ReportRow MeasurePrompt(InferenceSession session, string model, int threads, int nPrompt, int reps)
    {
        var random = new Random(42);
        int vocab = session.Model.Hyperparameters.VocabSize;
        var tokens = Enumerable.Range(0, nPrompt).Select(_ => random.Next(vocab)).ToArray();
        var ttft = new double[reps];
        return Measure(model, $"pp{nPrompt}", nPrompt, 0, threads, reps, nPrompt, rep =>
        {
            session.Reset();
            var clock = Stopwatch.StartNew();
            session.Prefill(tokens);
            Sampler.ArgMax(session.LastLogits);
            if (rep >= 0)
                ttft[rep] = clock.Elapsed.TotalMilliseconds;
        }, extra: () => [Metric.Of("ttft_ms", "ms", Better.Lower, ttft)]);
    }

    private ReportRow MeasureGeneration(InferenceSession session, string model, int threads, int nGen, int reps)
    {
        int first = session.Model.Tokenizer.BosId ?? 0;
        return Measure(model, $"tg{nGen}", 0, nGen, threads, reps, nGen, _ =>
        {
            session.Reset();
            int t = first;
            for (int i = 0; i < nGen; i++)
            {
                session.Decode(t);
                t = Sampler.ArgMax(session.LastLogits);
            }
        }, extra: () => []);
    }

    /// <summary>Runs <paramref name="run"/> once as warm-up (repetition −1), then <paramref name="reps"/> measured times.</summary>
    private ReportRow Measure(string model, string test, int nPrompt, int nGen, int threads, int reps, int tokens,
        Action<int> run, Func<Metric[]> extra)
    {
        run(-1);
        var speeds = new double[reps];
        var cpu = new double[reps];
        var joules = new double[reps];
        for (int i = 0; i < reps; i++)
        {
            long[]? energyStart = energy.IsAvailable ? energy.Read() : null;
            var cpuStart = ProcessTelemetry.CpuTime();
            var clock = Stopwatch.StartNew();
            run(i);
            double seconds = clock.Elapsed.TotalSeconds;
            cpu[i] = (ProcessTelemetry.CpuTime() - cpuStart).TotalMilliseconds;
            speeds[i] = tokens / seconds;
            if (energyStart is not null)
                joules[i] = energy.JoulesSince(energyStart) / tokens;
        }
        var metrics = new List<Metric>
        {
            Metric.Of("ts", "tokens/s", Better.Higher, speeds),
        };
        metrics.AddRange(extra());
        metrics.Add(Metric.Of("cpu_ms", "ms", Better.Lower, cpu));
        metrics.Add(Metric.Of("peak_rss_mib", "MiB", Better.Lower, [ProcessTelemetry.PeakResidentBytes() / 1048576.0]));
        metrics.Add(energy.IsAvailable
            ? Metric.Of(EnergyMetric, "J/token", Better.Lower, joules)
            : Metric.NotAvailable(EnergyMetric, "J/token", Better.Lower, energy.Unavailable!));
        string Inv(int v) => v.ToString(CultureInfo.InvariantCulture);
        return new ReportRow($"{model}/t{threads}/{test}",
            [new("model", model), new("test", test), new("n_prompt", Inv(nPrompt)), new("n_gen", Inv(nGen)), new("n_threads", Inv(threads))],
            metrics);
    }
}
