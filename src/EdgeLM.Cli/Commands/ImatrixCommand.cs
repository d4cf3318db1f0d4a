using System.CommandLine;
using EdgeLM.Quantization.Imatrix;
using Spectre.Console;

namespace EdgeLM.Cli.Commands;

/// <summary>`edgelm imatrix`: the importance matrix (mean squared activation per input column of each weight) for quantize --imatrix.</summary>
public static class ImatrixCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var file = new Option<string>("--file", "-f") { Description = "Calibration text (UTF-8).", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "Output imatrix GGUF (llama.cpp's format).", Required = true };
        var ctx = new Option<int>("--ctx-size", "-c") { Description = "Tokens per chunk (default 512).", DefaultValueFactory = _ => 512 };
        var chunks = new Option<int>("--chunks") { Description = "Use at most this many chunks (default: all).", DefaultValueFactory = _ => 0 };
        var includeOutput = new Option<bool>("--process-output") { Description = "Also collect the output projection (skipped by default, as llama-imatrix does)." };
        var threads = CommonOptions.Threads();
        var command = new Command("imatrix", "Compute an importance matrix over calibration text, for `edgelm quantize --imatrix`.");
        foreach (Option o in new Option[] { model, file, output, ctx, chunks, includeOutput, threads })
            command.Options.Add(o);
        command.SetAction(r =>
        {
            string textPath = r.GetValue(file)!;
            if (!File.Exists(textPath))
                throw new UserFacingException($"calibration file not found: {textPath}");
            string text = File.ReadAllText(textPath);
            var (m, _) = ModelLoading.Load(r.GetValue(model), quiet: true);
            using (m)
            {
                ImportanceMatrix matrix = null!;
                void Build(IProgress<(int, int)>? p) => matrix = ImatrixBuilder.Build(m, text, Path.GetFileName(textPath), r.GetValue(ctx),
                    r.GetValue(chunks), r.GetValue(threads), r.GetValue(includeOutput), p);
                try
                {
                    if (Console.IsErrorRedirected)
                        Build(null);
                    else
                        ModelLoading.Stderr.Progress()
                            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                            .Start(c =>
                            {
                                var task = c.AddTask("imatrix");
                                Build(new Progress<(int Done, int Total)>(p => { task.MaxValue = p.Total; task.Value = p.Done; }));
                            });
                }
                catch (ArgumentException e)
                {
                    throw new UserFacingException(e.Message);
                }
                matrix.Save(r.GetValue(output)!);
                Console.Error.WriteLine($"wrote {r.GetValue(output)}: {matrix.Count} matrices, {matrix.ChunkCount} chunks of {matrix.ChunkSize} tokens");
            }
            return 0;
        });
        return command;
    }
}
