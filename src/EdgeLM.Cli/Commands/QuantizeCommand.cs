using System.CommandLine;
using EdgeLM.Gguf;
using EdgeLM.Quantization;
using EdgeLM.Quantization.Imatrix;
using EdgeLM.Quantization.Pruning;
using EdgeLM.Quantization.Recipes;
using Spectre.Console;

namespace EdgeLM.Cli.Commands;

/// <summary>
/// `edgelm quantize IN OUT TYPE`: llama-quantize's recipes (per-tensor types, file type, processing order), with
/// optional importance matrix and pruning. The output file appears only when complete.
/// </summary>
public static class QuantizeCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("input") { Description = "Model to quantize (GGUF, ideally F32/F16/BF16)." };
        var output = new Argument<string>("output") { Description = "Output GGUF file." };
        var type = new Argument<string>("type") { Description = $"Recipe: {string.Join(", ", QuantRecipeInfo.All)}." };
        var pure = new Option<bool>("--pure") { Description = "No per-tensor rules: every weight matrix gets the base type." };
        var imatrix = new Option<string?>("--imatrix") { Description = "Importance matrix (llama.cpp imatrix GGUF) for weighted quantization." };
        var prune = new Option<double>("--prune") { Description = "Prune this fraction of each layer matrix row before quantizing (0 = off).", DefaultValueFactory = _ => 0 };
        var pruneMethod = new Option<string>("--prune-method") { Description = "magnitude or wanda (needs --imatrix).", DefaultValueFactory = _ => "magnitude" };
        var pattern = new Option<bool>("--prune-2-4") { Description = "2:4 semi-structured pruning (removes 50%; needs --force)." };
        var force = new Option<bool>("--force") { Description = "Allow pruning more than 40% of the weights." };
        var threads = CommonOptions.Threads();
        var command = new Command("quantize", "Quantize a GGUF model with llama.cpp's recipes (Q4_K_M, Q8_0, ...).");
        command.Arguments.Add(input);
        command.Arguments.Add(output);
        command.Arguments.Add(type);
        foreach (Option o in new Option[] { pure, imatrix, prune, pruneMethod, pattern, force, threads })
        {
            command.Options.Add(o);
        }
        command.SetAction(r =>
        {
            if (!QuantRecipeInfo.TryParse(r.GetValue(type)!, out var recipe))
            {
                throw new UserFacingException($"unknown quantization type '{r.GetValue(type)}'; expected one of {string.Join(", ", QuantRecipeInfo.All)}");
            }
            string? imatrixPath = r.GetValue(imatrix);
            var options = new QuantizeOptions
            {
                Pure = r.GetValue(pure),
                Threads = r.GetValue(threads),
                ImportanceMatrix = imatrixPath is null ? null : ImportanceMatrix.Load(imatrixPath),
                ImportanceMatrixPath = imatrixPath is null ? null : Path.GetFileName(imatrixPath),
                Prune = ReadPrune(r.GetValue(prune), r.GetValue(pruneMethod)!, r.GetValue(pattern), r.GetValue(force)),
            };
            using var file = GgufFile.Open(r.GetValue(input)!);
            var result = Run(file, r.GetValue(output)!, recipe, options);
            PrintSummary(result, recipe);
            return 0;
        });
        return command;
    }

    private static PruneOptions? ReadPrune(double ratio, string method, bool twoOfFour, bool force)
    {
        if (ratio == 0 && !twoOfFour)
        {
            return null;
        }
        var m = method.ToLowerInvariant() switch
        {
            "magnitude" => PruneMethod.Magnitude,
            "wanda" => PruneMethod.Wanda,
            _ => throw new UserFacingException($"--prune-method must be magnitude or wanda, not '{method}'"),
        };
        return new PruneOptions
        {
            Ratio = twoOfFour ? 0.5 : ratio,
            Method = m,
            Pattern = twoOfFour ? PrunePattern.TwoOfFour : PrunePattern.Unstructured,
            Force = force,
        };
    }

    private static QuantizeResult Run(GgufFile file, string output, QuantRecipe recipe, QuantizeOptions options)
    {
        if (Console.IsErrorRedirected)
        {
            return ModelQuantizer.Quantize(file, output, recipe, options);
        }
        QuantizeResult? result = null;
        ModelLoading.Stderr.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask($"quantizing to {recipe}");
                task.MaxValue = 1;
                result = ModelQuantizer.Quantize(file, output, recipe, options,
                    new Progress<QuantizeProgress>(p => task.Value = p.BytesTotal == 0 ? 1 : (double)p.BytesDone / p.BytesTotal));
                task.Value = 1;
            });
        return result!;
    }

    private static void PrintSummary(QuantizeResult result, QuantRecipe recipe)
    {
        foreach (string w in result.Warnings)
        {
            Console.Error.WriteLine($"warning: {w}");
        }
        int nameWidth = Math.Max(4, result.Tensors.Max(t => t.Name.Length));
        foreach (var t in result.Tensors)
        {
            string shape = "[" + string.Join(", ", t.Dimensions) + "]";
            string types = $"{GgmlTypes.Info(t.From).Name,-5} -> {GgmlTypes.Info(t.To).Name,-5}";
            Console.Out.WriteLine($"{t.Name.PadRight(nameWidth)}  {shape,-16}  {types}  {Mib(t.BytesBefore),9:F2} MiB -> {Mib(t.BytesAfter),9:F2} MiB{(t.UsedImportance ? "  (imatrix)" : "")}");
        }
        Console.Out.WriteLine($"{recipe}: {result.Tensors.Count} tensors, {Mib(result.InputBytes):F2} MiB -> {Mib(result.OutputBytes):F2} MiB, " +
            $"{result.BitsPerWeight:F2} bpw, {result.Elapsed.TotalSeconds:F1} s");
    }

    private static double Mib(long bytes) => bytes / 1048576.0;
}
