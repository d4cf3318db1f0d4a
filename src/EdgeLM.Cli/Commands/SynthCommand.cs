using System.CommandLine;
using EdgeLM.Gguf;
using EdgeLM.Quantization.Recipes;
using EdgeLM.Quantization.Synthesis;
using Spectre.Console;

namespace EdgeLM.Cli.Commands;

/// <summary>`edgelm synth`: a random-weight model with the exact shape of a real one, for benchmarks.</summary>
public static class SynthCommand
{
    public static Command Create()
    {
        var arch = new Option<string?>("--arch") { Description = "Architecture: llama, qwen2, qwen3 or phi3 (must match the preset when one is given)." };
        var shape = new Option<string>("--shape") { Description = $"Shape preset: {string.Join(", ", ShapePreset.All.Select(p => p.Name))}, or 'custom' with the dimension options.", Required = true };
        var type = new Option<string>("--type") { Description = "Tensor type for the 2-D weights (F32, F16, BF16, Q8_0, Q4_0, Q4_K, ...) or a llama.cpp recipe (Q4_K_M ...).", Required = true };
        var vocab = new Option<string>("--vocab") { Description = "GGUF whose tokenizer.* metadata is copied (e.g. a ggml-vocab-*.gguf).", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "Output GGUF file.", Required = true };
        var seed = new Option<int>("--seed") { Description = "Random seed (default 1234).", DefaultValueFactory = _ => 1234 };
        var threads = CommonOptions.Threads();
        var embd = new Option<int>("--embd") { Description = "custom: embedding length." };
        var layers = new Option<int>("--layers") { Description = "custom: number of blocks." };
        var ff = new Option<int>("--ff") { Description = "custom: feed-forward length." };
        var heads = new Option<int>("--heads") { Description = "custom: attention heads." };
        var headsKv = new Option<int>("--heads-kv") { Description = "custom: KV heads (default = heads)." };
        var headDim = new Option<int>("--head-dim") { Description = "custom: head dimension (default embd / heads)." };
        var command = new Command("synth", "Write a random-weight model with the exact shape of a real one (benchmarks without downloads).");
        foreach (Option o in new Option[] { arch, shape, type, vocab, output, seed, threads, embd, layers, ff, heads, headsKv, headDim })
            command.Options.Add(o);
        command.SetAction(r =>
        {
            ShapePreset preset;
            string shapeName = r.GetValue(shape)!;
            if (shapeName.Equals("custom", StringComparison.OrdinalIgnoreCase))
            {
                string a = r.GetValue(arch) ?? throw new UserFacingException("--arch is required with --shape custom");
                int h = Positive(r.GetValue(heads), "--heads"), e = Positive(r.GetValue(embd), "--embd");
                preset = new ShapePreset
                {
                    Name = "custom", Architecture = a, EmbeddingLength = e, BlockCount = Positive(r.GetValue(layers), "--layers"),
                    FeedForwardLength = Positive(r.GetValue(ff), "--ff"), HeadCount = h,
                    HeadCountKv = r.GetValue(headsKv) > 0 ? r.GetValue(headsKv) : h,
                    HeadDim = r.GetValue(headDim) > 0 ? r.GetValue(headDim) : e / h,
                    VocabSize = 0, ContextLength = 4096, RopeFreqBase = 10000f, RmsEpsilon = 1e-5f, TiedEmbeddings = a != "phi3",
                };
            }
            else
            {
                try { preset = ShapePreset.Find(shapeName); }
                catch (ArgumentException e) { throw new UserFacingException(e.Message); }
                if (r.GetValue(arch) is { } a && a != preset.Architecture)
                    throw new UserFacingException($"--arch {a} does not match preset {preset.Name} (architecture {preset.Architecture})");
            }
            if (preset.Architecture is not ("llama" or "qwen2" or "qwen3" or "phi3"))
                throw new UserFacingException($"unsupported architecture '{preset.Architecture}' (llama, qwen2, qwen3, phi3)");
            string typeName = r.GetValue(type)!;
            (Func<string, long[], GgmlType> TypeOf, int FileType) rule;
            if (QuantRecipeInfo.TryParse(typeName, out var recipe))
                rule = RecipeRule(recipe, preset);
            else if (GgmlTypes.TryParse(typeName, out var t) && Kernels.Formats.TensorFormats.CanQuantize(t) && t is not (GgmlType.Q8_1 or GgmlType.Q8_K))
                rule = ((_, _) => t, FileTypeOf(t));
            else
                throw new UserFacingException($"unknown type '{typeName}'");
            string vocabPath = r.GetValue(vocab)!;
            using var vocabFile = GgufFile.Open(vocabPath);
            if (!vocabFile.Metadata.Contains("tokenizer.ggml.tokens"))
                throw new UserFacingException($"{vocabPath} has no tokenizer (tokenizer.ggml.tokens)");
            int vocabSize = vocabFile.Metadata.GetStringArray("tokenizer.ggml.tokens").Length;
            if (preset.VocabSize > 0 && vocabSize != preset.VocabSize)
                Console.Error.WriteLine($"note: {Path.GetFileName(vocabPath)} has {vocabSize} tokens, {preset.Name} has {preset.VocabSize}; the embedding follows the vocabulary");
            var options = new ModelSynthesizer.Options
            {
                Shape = preset, TypeOf = rule.TypeOf, FileType = rule.FileType, Vocabulary = vocabFile.Metadata,
                Seed = r.GetValue(seed), Threads = r.GetValue(threads) > 0 ? r.GetValue(threads) : Environment.ProcessorCount,
            };
            string outPath = r.GetValue(output)!;
            if (Console.IsErrorRedirected)
                ModelSynthesizer.Write(options, outPath);
            else
                ModelLoading.Stderr.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                    .Start(ctx =>
                    {
                        var task = ctx.AddTask($"synth {Markup.Escape(preset.Name)} {Markup.Escape(typeName)}");
                        ModelSynthesizer.Write(options, outPath, new Progress<double>(p => task.Value = p * 100));
                        task.Value = 100;
                    });
            Console.Error.WriteLine($"wrote {outPath} ({new FileInfo(outPath).Length / 1048576.0:F1} MiB)");
            return 0;
        });
        return command;
    }

    /// <summary>
    /// The types llama-quantize would give each tensor of this shape for a recipe (Q4_0 keeps the output matrix in
    /// Q6_K, Q4_K_M gives some attn_v/ffn_down Q6_K, ...), planned on the F16 conversion of the shape.
    /// </summary>
    private static (Func<string, long[], GgmlType>, int) RecipeRule(QuantRecipe recipe, ShapePreset preset)
    {
        var shape = new ModelShape(preset.Architecture, preset.BlockCount, preset.HeadCount, preset.HeadCountKv);
        int vocab = preset.VocabSize > 0 ? preset.VocabSize : 32000;
        var tensors = ModelSynthesizer.Tensors(preset, vocab)
            .Select(t => new TensorShape(t.Name, t.Dims, t.Dims.Length == 1 ? GgmlType.F32 : GgmlType.F16)).ToList();
        var plan = QuantRecipes.Plan(shape, tensors, recipe).ToDictionary(p => p.Tensor.Name, p => p.TargetType);
        return ((name, _) => plan[name], QuantRecipeInfo.FileType(recipe));
    }

    private static int Positive(int v, string name) => v > 0 ? v : throw new UserFacingException($"{name} must be a positive number with --shape custom");

    /// <summary>llama.cpp's general.file_type (enum llama_ftype) for a model that is all one type.</summary>
    public static int FileTypeOf(GgmlType t) => t switch
    {
        GgmlType.F32 => 0, GgmlType.F16 => 1, GgmlType.Q4_0 => 2, GgmlType.Q4_1 => 3, GgmlType.Q8_0 => 7,
        GgmlType.Q5_0 => 8, GgmlType.Q5_1 => 9, GgmlType.Q2_K => 10, GgmlType.Q3_K => 12, GgmlType.Q4_K => 15,
        GgmlType.Q5_K => 17, GgmlType.Q6_K => 18, GgmlType.BF16 => 32,
        _ => throw new UserFacingException($"no llama.cpp file type for {t}"),
    };
}
