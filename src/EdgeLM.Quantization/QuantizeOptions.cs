using EdgeLM.Quantization.Imatrix;
using EdgeLM.Quantization.Pruning;

namespace EdgeLM.Quantization;

/// <summary>Settings of one quantization run.</summary>
public sealed record QuantizeOptions
{
    /// <summary>--pure: no per-tensor rules, every quantizable tensor gets the recipe's base type.</summary>
    public bool Pure { get; init; }

    /// <summary>Worker threads; 0 means one per core.</summary>
    public int Threads { get; init; }

    /// <summary>Per-column importance used by the weighted quantizers (llama-quantize --imatrix).</summary>
    public ImportanceMatrix? ImportanceMatrix { get; init; }

    /// <summary>Optional pruning of the layer matrices before quantization.</summary>
    public PruneOptions? Prune { get; init; }

    /// <summary>Name recorded as quantize.imatrix.file in the output.</summary>
    public string? ImportanceMatrixPath { get; init; }
}

/// <summary>Where a run stands: tensors and input bytes done so far.</summary>
public readonly record struct QuantizeProgress(int TensorsDone, int TensorCount, string TensorName, long BytesDone, long BytesTotal);

/// <summary>What happened to one tensor.</summary>
public sealed record TensorQuantizeSummary(string Name, long[] Dimensions, EdgeLM.Gguf.GgmlType From, EdgeLM.Gguf.GgmlType To,
    long BytesBefore, long BytesAfter, bool UsedImportance);

/// <summary>The outcome of a run: every tensor in output order, warnings, sizes and time.</summary>
public sealed record QuantizeResult(IReadOnlyList<TensorQuantizeSummary> Tensors, IReadOnlyList<string> Warnings, TimeSpan Elapsed)
{
    public long InputBytes => Tensors.Sum(t => t.BytesBefore);
    public long OutputBytes => Tensors.Sum(t => t.BytesAfter);
    public long ParameterCount => Tensors.Sum(t => t.Dimensions.Aggregate(1L, (a, d) => a * d));

    /// <summary>Bits per weight over all tensors, as llama-quantize prints it.</summary>
    public double BitsPerWeight => OutputBytes * 8.0 / ParameterCount;
}
