using System.Globalization;
using EdgeLM.Gguf;

namespace EdgeLM.ModelStore;

/// <summary>
/// Memory a model needs before it is loaded: its weights (all tensor bytes, mapped as they are) plus the KV
/// cache, 2 (K and V) × n_layer × ctx × n_head_kv × head_dim × element bytes × slots. Compute buffers and
/// the runtime itself are not counted; <see cref="EnsureFits"/> keeps a margin for them.
/// </summary>
public sealed record MemoryEstimate(long WeightBytes, long KvCacheBytes, int ContextLength, int Slots)
{
    public long Total => WeightBytes + KvCacheBytes;

    /// <summary>Estimate for an open GGUF file (one file: for split models use the path or <see cref="SplitGguf"/> overloads).</summary>
    public static MemoryEstimate For(GgufFile file, int contextLength, int slots = 1, int kvBytesPerElement = 2) =>
        For(file.Metadata, file.Tensors.Sum(t => t.ByteSize), contextLength, slots, kvBytesPerElement);

    public static MemoryEstimate For(SplitGguf model, int contextLength, int slots = 1, int kvBytesPerElement = 2) =>
        For(model.Metadata, model.TensorBytes, contextLength, slots, kvBytesPerElement);

    /// <summary>Estimate for the model at <paramref name="path"/>, all its shards counted.</summary>
    public static MemoryEstimate For(string path, int contextLength, int slots = 1, int kvBytesPerElement = 2)
    {
        using var model = SplitGguf.Open(path);
        return For(model, contextLength, slots, kvBytesPerElement);
    }

    /// <summary>Estimate from metadata and the weights' byte count.</summary>
    public static MemoryEstimate For(GgufMetadata metadata, long weightBytes, int contextLength, int slots = 1, int kvBytesPerElement = 2)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(contextLength);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(slots);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(kvBytesPerElement);
        var shape = AttentionShape.Of(metadata);
        long kv = checked(2L * shape.Layers * contextLength * shape.KvHeads * shape.KeyLength * kvBytesPerElement * slots);
        return new MemoryEstimate(weightBytes, kv, contextLength, slots);
    }

    /// <summary>Memory available for a new model: /proc/meminfo MemAvailable, else what the GC sees.</summary>
    public static long Available()
    {
        try
        {
            if (File.Exists("/proc/meminfo"))
                foreach (string line in File.ReadLines("/proc/meminfo"))
                    if (line.StartsWith("MemAvailable:", StringComparison.Ordinal))
                    {
                        // "MemAvailable:   12345678 kB"
                        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                        if (parts.Length >= 2 && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out long kb))
                            return kb * 1024;
                    }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
    }

    /// <summary>Throws <see cref="ModelDoesNotFitException"/> when <see cref="Total"/> exceeds <see cref="Available"/>.</summary>
    public void EnsureFits() => EnsureFits(Available());

    public void EnsureFits(long availableBytes)
    {
        if (Total <= availableBytes)
            return;
        throw new ModelDoesNotFitException(
            $"needs {ByteSize.Format(Total)} ({ByteSize.Format(WeightBytes, Total)} weights + {ByteSize.Format(KvCacheBytes, Total)} KV cache for "
            + string.Create(CultureInfo.InvariantCulture, $"{ContextLength} tokens")
            + (Slots > 1 ? string.Create(CultureInfo.InvariantCulture, $" × {Slots} slots") : "")
            + $") but only {ByteSize.Format(availableBytes, Total)} is available; try a smaller -c"
            + (Slots > 1 ? " or fewer slots" : "") + " or a smaller quantization",
            this, availableBytes);
    }

    public override string ToString() =>
        $"{ByteSize.Format(Total)} ({ByteSize.Format(WeightBytes, Total)} weights + {ByteSize.Format(KvCacheBytes, Total)} KV cache for "
        + string.Create(CultureInfo.InvariantCulture, $"{ContextLength} tokens") + (Slots > 1 ? string.Create(CultureInfo.InvariantCulture, $" × {Slots} slots") : "") + ")";
}
