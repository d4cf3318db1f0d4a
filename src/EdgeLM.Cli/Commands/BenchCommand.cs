using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using EdgeLM.Inference;

namespace EdgeLM.Cli.Commands;

/// <summary>
/// `edgelm bench`: llama-bench's measurement. pp = a prompt of random tokens evaluated in batches from an empty
/// cache; tg = tokens decoded one at a time from an empty cache. One warm-up run, then mean ± standard deviation
/// of tokens/s over the repetitions.
/// </summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var pp = new Option<int>("--n-prompt", "-p") { Description = "Prompt tokens for the pp test; 0 skips it (default 512).", DefaultValueFactory = _ => 512 };
        var tg = new Option<int>("--n-gen", "-n") { Description = "Generated tokens for the tg test; 0 skips it (default 128).", DefaultValueFactory = _ => 128 };
        var threads = CommonOptions.Threads();
        var reps = new Option<int>("--repetitions", "-r") { Description = "Measured repetitions per test (default 5).", DefaultValueFactory = _ => 5 };
        var batch = new Option<int>("--ubatch-size", "-ub") { Description = "Tokens per forward pass in pp (default 512).", DefaultValueFactory = _ => 512 };
        var kv = CommonOptions.KvType("f16");
        var json = new Option<bool>("--json") { Description = "Print a JSON array of results." };
        var md = new Option<bool>("--md") { Description = "Print a Markdown table (the default)." };
        var command = new Command("bench", "Measure prompt processing (pp) and generation (tg) speed, like llama-bench.");
        foreach (Option o in new Option[] { model, pp, tg, threads, reps, batch, kv, json, md })
            command.Options.Add(o);
        command.SetAction(r =>
        {
            int nPrompt = r.GetValue(pp), nGen = r.GetValue(tg), repetitions = r.GetValue(reps);
            if (nPrompt < 0 || nGen < 0 || repetitions < 1)
                throw new UserFacingException("-p and -n must be ≥ 0 and -r ≥ 1");
            int nThreads = r.GetValue(threads) > 0 ? r.GetValue(threads) : Environment.ProcessorCount;
            var (m, _) = ModelLoading.Load(r.GetValue(model), quiet: true);
            using (m)
            {
                int ctx = Math.Max(1, Math.Max(nPrompt, nGen));
                using var session = new InferenceSession(m, new SessionOptions
                {
                    ContextLength = ctx,
                    Threads = nThreads,
                    BatchSize = r.GetValue(batch),
                    KvCacheType = CommonOptions.ParseKvType(r.GetValue(kv)),
                });
                var random = new Random(42);
                var results = new List<BenchResult>();
                string modelName = Path.GetFileName(m.File.Path);
                if (nPrompt > 0)
                {
                    var tokens = Enumerable.Range(0, nPrompt).Select(_ => random.Next(m.Hyperparameters.VocabSize)).ToArray();
                    results.Add(Measure($"pp{nPrompt}", modelName, nPrompt, 0, nThreads, repetitions, () =>
                    {
                        session.Reset();
                        session.Prefill(tokens);
                    }, nPrompt));
                }
                if (nGen > 0)
                {
                    int first = m.Tokenizer.BosId ?? 0;
                    results.Add(Measure($"tg{nGen}", modelName, 0, nGen, nThreads, repetitions, () =>
                    {
                        session.Reset();
                        int t = first;
                        for (int i = 0; i < nGen; i++)
                        {
                            session.Decode(t);
                            t = Inference.Sampling.Sampler.ArgMax(session.LastLogits);
                        }
                    }, nGen));
                }
                if (r.GetValue(json))
                    WriteJson(results);
                else
                    WriteMarkdown(results, m);
            }
            return 0;
        });
        return command;
    }

    private static BenchResult Measure(string test, string model, int nPrompt, int nGen, int threads, int reps, Action run, int tokens)
    {
        run(); // warm-up: JIT, page faults of the mapping, caches
        var speeds = new double[reps];
        for (int i = 0; i < reps; i++)
        {
            var clock = Stopwatch.StartNew();
            run();
            speeds[i] = tokens / clock.Elapsed.TotalSeconds;
        }
        double mean = speeds.Average();
        double sd = reps > 1 ? Math.Sqrt(speeds.Sum(s => (s - mean) * (s - mean)) / (reps - 1)) : 0;
        return new BenchResult(test, model, nPrompt, nGen, threads, mean, sd, speeds);
    }

    private static void WriteJson(List<BenchResult> results)
    {
        var stdout = Console.OpenStandardOutput();
        using (var w = new Utf8JsonWriter(stdout, JsonOutput.Indented))
        {
            w.WriteStartArray();
            foreach (var b in results)
            {
                w.WriteStartObject();
                w.WriteString("test", b.Test);
                w.WriteString("model", b.Model);
                w.WriteNumber("n_prompt", b.NPrompt);
                w.WriteNumber("n_gen", b.NGen);
                w.WriteNumber("n_threads", b.Threads);
                w.WriteNumber("avg_ts", Math.Round(b.Mean, 3));
                w.WriteNumber("stddev_ts", Math.Round(b.StdDev, 3));
                w.WriteStartArray("samples_ts");
                foreach (var s in b.Samples) w.WriteNumberValue(Math.Round(s, 3));
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        stdout.Write("\n"u8);
    }

    private static void WriteMarkdown(List<BenchResult> results, Model m)
    {
        long bytes = m.File.Tensors.Sum(t => t.ByteSize);
        Console.WriteLine("| model | size | params | threads | test | t/s |");
        Console.WriteLine("| --- | ---: | ---: | ---: | --- | ---: |");
        long parameters = m.File.Tensors.Sum(t => t.ElementCount);
        foreach (var b in results)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {b.Model} | {bytes / 1048576.0:F2} MiB | {parameters / 1e6:F2} M | {b.Threads} | {b.Test} | {b.Mean:F2} ± {b.StdDev:F2} |"));
    }

    private sealed record BenchResult(string Test, string Model, int NPrompt, int NGen, int Threads, double Mean, double StdDev, double[] Samples);
}
