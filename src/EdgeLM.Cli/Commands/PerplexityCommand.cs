using System.CommandLine;
using System.Text.Json;
using EdgeLM.Inference;
using EdgeLM.Quantization.Evaluation;
using Spectre.Console;

namespace EdgeLM.Cli.Commands;

/// <summary>
/// `edgelm perplexity -m MODEL -f TEXT`: llama-perplexity's chunked perplexity (BOS per chunk, second half scored),
/// and with --kl-base the KL divergence, top-1 agreement and Δp against a base model on the same positions.
/// </summary>
public static class PerplexityCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var file = new Option<string>("--file", "-f") { Description = "Text file to evaluate (UTF-8).", Required = true };
        var ctx = new Option<int>("--ctx-size", "-c") { Description = "Tokens per chunk (default 512).", DefaultValueFactory = _ => 512 };
        var klBase = new Option<string?>("--kl-base") { Description = "Base model (GGUF) to measure KL divergence against." };
        var chunks = new Option<int>("--chunks") { Description = "Evaluate at most this many chunks (default: all).", DefaultValueFactory = _ => 0 };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON on stdout." };
        var kv = CommonOptions.KvType("f32");
        var threads = CommonOptions.Threads();
        var command = new Command("perplexity", "Perplexity of a text (llama-perplexity's convention), optionally KL divergence against a base model.");
        foreach (Option o in new Option[] { model, file, ctx, klBase, chunks, json, kv, threads })
        {
            command.Options.Add(o);
        }
        command.SetAction(r =>
        {
            int n = r.GetValue(ctx);
            if (n < 4)
            {
                throw new UserFacingException($"--ctx-size must be at least 4, got {n}");
            }
            string text = File.ReadAllText(r.GetValue(file)!);
            var options = new PerplexityOptions
            {
                ContextLength = n,
                Threads = r.GetValue(threads),
                KvCacheType = CommonOptions.ParseKvType(r.GetValue(kv)),
                MaxChunks = r.GetValue(chunks),
            };
            var (m, _) = ModelLoading.Load(r.GetValue(model), quiet: true);
            using (m)
            {
                using var baseModel = r.GetValue(klBase) is { } basePath ? Model.Load(basePath) : null;
                int[] tokens = m.Tokenizer.Encode(text, addSpecial: true, parseSpecial: false);
                if (tokens.Length < n)
                {
                    throw new UserFacingException($"the text is {tokens.Length} tokens long, shorter than one chunk of {n}; use a longer text or a smaller -c");
                }
                var result = Run(m, tokens, options, baseModel);
                if (r.GetValue(json))
                {
                    WriteJson(result);
                }
                else
                {
                    WriteText(result);
                }
            }
            return 0;
        });
        return command;
    }

    private static PerplexityResult Run(Model model, int[] tokens, PerplexityOptions options, Model? baseModel)
    {
        if (Console.IsErrorRedirected)
        {
            return PerplexityEvaluator.Evaluate(model, tokens, options, baseModel);
        }
        PerplexityResult? result = null;
        ModelLoading.Stderr.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("perplexity");
                task.MaxValue = 1;
                result = PerplexityEvaluator.Evaluate(model, tokens, options, baseModel, new Progress<PerplexityProgress>(p =>
                {
                    task.Value = (double)p.ChunksDone / p.ChunkCount;
                    task.Description = $"perplexity [{p.ChunksDone}/{p.ChunkCount}] ln PPL {p.RunningMeanNll:F4}";
                }));
                task.Value = 1;
            });
        return result!;
    }

    private static void WriteText(PerplexityResult r)
    {
        Console.Out.WriteLine($"PPL = {r.Perplexity:G8} +/- {r.Perplexity * r.MeanNllUncertainty:G6}  (ln PPL = {r.MeanNll:F6} +/- {r.MeanNllUncertainty:F6}; {r.ChunkCount} chunks, {r.ScoredCount} scored tokens)");
        if (r.KlDivergence is { } kl)
        {
            Console.Out.WriteLine($"mean KLD   = {kl.Mean:F6} +/- {kl.MeanUncertainty:F6}  (median {kl.Median:F6}, 99% {kl.Percentile99:F6}, max {kl.Maximum:F6})");
            Console.Out.WriteLine($"same top p = {kl.SameTopFraction * 100:F3} +/- {kl.SameTopUncertainty * 100:F3} %");
            Console.Out.WriteLine($"delta p    = mean {kl.DeltaPMean * 100:F3} %, RMS {kl.DeltaPRms * 100:F3} %, 99% {kl.DeltaPPercentile99 * 100:F3} %, 1% {kl.DeltaPPercentile1 * 100:F3} %");
        }
    }

    private static void WriteJson(PerplexityResult r)
    {
        using var w = new Utf8JsonWriter(Console.OpenStandardOutput(), JsonOutput.Indented);
        w.WriteStartObject();
        w.WriteNumber("ppl", r.Perplexity);
        w.WriteNumber("mean_nll", r.MeanNll);
        w.WriteNumber("mean_nll_uncertainty", r.MeanNllUncertainty);
        w.WriteNumber("n_chunks", r.ChunkCount);
        w.WriteNumber("n_scored", r.ScoredCount);
        if (r.KlDivergence is { } kl)
        {
            w.WriteNumber("kld_mean", kl.Mean);
            w.WriteNumber("kld_mean_uncertainty", kl.MeanUncertainty);
            w.WriteNumber("kld_median", kl.Median);
            w.WriteNumber("kld_p99", kl.Percentile99);
            w.WriteNumber("kld_max", kl.Maximum);
            w.WriteNumber("same_top_p_percent", kl.SameTopFraction * 100);
            w.WriteNumber("same_top_p_percent_uncertainty", kl.SameTopUncertainty * 100);
            w.WriteNumber("delta_p_mean_percent", kl.DeltaPMean * 100);
            w.WriteNumber("delta_p_rms_percent", kl.DeltaPRms * 100);
            w.WriteNumber("delta_p_p99_percent", kl.DeltaPPercentile99 * 100);
            w.WriteNumber("delta_p_p1_percent", kl.DeltaPPercentile1 * 100);
        }
        w.WriteEndObject();
        w.Flush();
        Console.Out.WriteLine();
    }
}
