using System.Diagnostics;
using EdgeLM.Gguf;
using EdgeLM.Kernels.Formats;
using EdgeLM.Quantization.Pruning;
using EdgeLM.Quantization.Recipes;

namespace EdgeLM.Quantization;

/// <summary>
/// Converts a GGUF model to a recipe (llama-quantize): tensors are planned by <see cref="QuantRecipes"/>, written in
/// llama.cpp's processing order, metadata is copied with general.file_type and general.quantization_version = 2.
/// The output appears only when complete (written to a temporary file, then renamed).
/// </summary>
public static unsafe class ModelQuantizer
{
    /// <summary>GGML_QNT_VERSION, which llama-quantize writes as general.quantization_version.</summary>
    public const uint QuantizationVersion = 2;

    public static QuantizeResult Quantize(GgufFile input, string outputPath, QuantRecipe recipe, QuantizeOptions? options = null,
        IProgress<QuantizeProgress>? progress = null)
    {
        options ??= new QuantizeOptions();
        options.Prune?.Validate();
        var clock = Stopwatch.StartNew();
        var warnings = new List<string>();
        var shape = ModelShape.FromMetadata(input.Metadata);
        var tensors = input.Tensors.Select(t => new TensorShape(t.Name, t.Dimensions, t.Type)).ToList();
        var plan = QuantRecipes.Plan(shape, tensors, recipe,
            new RecipeOptions { Pure = options.Pure, HasImportanceMatrix = options.ImportanceMatrix is not null });

        if (!plan.Any(p => QuantRecipes.AllowsQuantization(p.Tensor)))
        {
            throw new InvalidDataException($"{Path.GetFileName(input.Path)} has nothing to quantize: it holds no 2-D weight matrix");
        }
        if (Path.GetFullPath(outputPath) == input.Path)
        {
            throw new ArgumentException($"the output file must differ from the input file ({outputPath})");
        }
        foreach (var p in plan)
        {
            if (p.Changes && !TensorFormats.CanDequantize(p.SourceType))
            {
                throw new NotSupportedException($"tensor '{p.Name}' has type {GgmlTypes.Info(p.SourceType).Name}, which EdgeLM cannot convert");
            }
            if (p.Changes && !TensorFormats.CanQuantize(p.TargetType))
            {
                throw new NotSupportedException($"tensor '{p.Name}': quantizing to {GgmlTypes.Info(p.TargetType).Name} is not implemented");
            }
            if (p.Changes && GgmlTypes.Info(p.SourceType).IsQuantized)
            {
                warnings.Add($"tensor '{p.Name}' is already {GgmlTypes.Info(p.SourceType).Name}: requantizing to {GgmlTypes.Info(p.TargetType).Name} adds the errors of both formats");
            }
        }
        CheckImportanceMatrix(options, plan);

        var md = CopyMetadata(input.Metadata, recipe, options);
        var writer = new GgufWriter(md);
        var summaries = new TensorQuantizeSummary[plan.Count];
        long totalBytes = plan.Sum(p => new GgufTensorInfo(p.Name, p.Tensor.Dimensions, p.SourceType, 0).ByteSize);
        long doneBytes = 0;
        int threads = options.Threads > 0 ? options.Threads : Environment.ProcessorCount;
        var weightedWarned = new HashSet<GgmlType>();
        for (int index = 0; index < plan.Count; index++)
        {
            var p = plan[index];
            var source = input.GetTensor(p.Name);
            int done = index + 1;
            void Report()
            {
                doneBytes += source.ByteSize;
                progress?.Report(new QuantizeProgress(done, plan.Count, p.Name, doneBytes, totalBytes));
            }

            var prune = options.Prune is not null && IsPrunable(p) ? options.Prune : null;
            if (!p.Changes && prune is null)
            {
                summaries[index] = new TensorQuantizeSummary(p.Name, source.Dimensions, p.SourceType, p.TargetType, source.ByteSize, source.ByteSize, false);
                writer.AddTensor(p.Name, source.Dimensions, source.Type, stream =>
                {
                    CopyBytes(input, source, stream);
                    Report();
                });
                continue;
            }
            float[]? importance = options.ImportanceMatrix?.ImportanceOf(p.Name);
            bool quantized = GgmlTypes.Info(p.TargetType).IsQuantized;
            if (importance is not null && quantized && !TensorFormats.CanQuantizeWeighted(p.TargetType) && weightedWarned.Add(p.TargetType))
            {
                warnings.Add($"importance-weighted quantization to {GgmlTypes.Info(p.TargetType).Name} is not implemented yet; those tensors use the reference quantizer");
            }
            bool weighted = importance is not null && quantized && TensorFormats.CanQuantizeWeighted(p.TargetType);
            var target = new GgufTensorInfo(p.Name, source.Dimensions, p.TargetType, 0);
            summaries[index] = new TensorQuantizeSummary(p.Name, source.Dimensions, p.SourceType, p.TargetType, source.ByteSize, target.ByteSize, weighted);
            writer.AddTensor(p.Name, source.Dimensions, p.TargetType, stream =>
            {
                stream.Write(TensorConverter.Convert(input, source, p.TargetType, weighted ? importance : null, prune, importance, threads));
                Report();
            });
        }
        writer.WriteFile(outputPath);
        return new QuantizeResult(summaries, warnings, clock.Elapsed);
    }

    private static void CopyBytes(GgufFile input, GgufTensorInfo tensor, Stream stream)
    {
        byte* p = input.TensorPointer(tensor);
        long left = tensor.ByteSize;
        while (left > 0)
        {
            int n = (int)Math.Min(left, 1 << 24);
            stream.Write(new ReadOnlySpan<byte>(p, n));
            p += n;
            left -= n;
        }
    }

    private static bool IsPrunable(TensorPlan p) =>
        QuantRecipes.AllowsQuantization(p.Tensor) && ProcessingOrder.BlockOf(p.Name) >= 0;

    private static void CheckImportanceMatrix(QuantizeOptions options, IReadOnlyList<TensorPlan> plan)
    {
        if (options.ImportanceMatrix is null)
        {
            return;
        }
        int matched = 0;
        foreach (var p in plan)
        {
            float[]? imp = options.ImportanceMatrix.ImportanceOf(p.Name);
            if (imp is null)
            {
                continue;
            }
            matched++;
            if (imp.Length != p.Tensor.Dimensions[0])
            {
                throw new InvalidDataException($"imatrix entry for '{p.Name}' has {imp.Length} values but the tensor's rows have {p.Tensor.Dimensions[0]}");
            }
        }
        if (matched == 0)
        {
            throw new InvalidDataException("the imatrix has no entry for any tensor of this model (was it made for another model?)");
        }
        if (options.Prune?.Method == PruneMethod.Wanda)
        {
            var missing = plan.FirstOrDefault(p => IsPrunable(p) && options.ImportanceMatrix.ImportanceOf(p.Name) is null);
            if (missing is not null)
            {
                throw new InvalidDataException($"Wanda pruning needs an imatrix entry for '{missing.Name}', which the imatrix lacks");
            }
        }
    }

    private static GgufMetadata CopyMetadata(GgufMetadata source, QuantRecipe recipe, QuantizeOptions options)
    {
        var md = new GgufMetadata();
        foreach (var (key, value) in source)
        {
            // Split files are merged into one output (llama-quantize removes the split keys too).
            if (key.StartsWith("split.", StringComparison.Ordinal))
            {
                continue;
            }
            md.Set(key, value);
        }
        md.Set("general.quantization_version", GgufValue.FromUInt32(QuantizationVersion));
        md.Set("general.file_type", GgufValue.FromUInt32((uint)QuantRecipeInfo.FileType(recipe)));
        if (options.ImportanceMatrix is { } im)
        {
            // The keys llama-quantize records (tools/quantize: quantize.imatrix.*).
            md.Set("quantize.imatrix.file", GgufValue.FromString(options.ImportanceMatrixPath ?? "imatrix"));
            if (im.Datasets.Count > 0)
            {
                md.Set("quantize.imatrix.dataset", GgufValue.FromString(im.Datasets[0]));
            }
            md.Set("quantize.imatrix.entries_count", GgufValue.FromInt32(im.Count));
            md.Set("quantize.imatrix.chunks_count", GgufValue.FromInt32(im.ChunkCount));
        }
        return md;
    }
}
