using EdgeLM.Gguf;
using EdgeLM.Kernels.Formats;
using EdgeLM.Quantization.Pruning;

namespace EdgeLM.Quantization;

/// <summary>
/// Converts one tensor to another type: rows are dequantized to float, optionally pruned, and quantized, in chunks of
/// rows spread over threads. Output is byte-identical whatever the thread count (each row is independent).
/// </summary>
internal static unsafe class TensorConverter
{
    // Rows are handed to threads in chunks of about this many values (llama-quantize uses 32*512 too).
    private const int ChunkValues = 32 * 512;

    public static byte[] Convert(GgufFile input, GgufTensorInfo source, GgmlType targetType, float[]? quantWeights,
        PruneOptions? prune, float[]? columnImportance, int threads)
    {
        var target = new GgufTensorInfo(source.Name, source.Dimensions, targetType, 0);
        if (target.ByteSize > Array.MaxLength)
        {
            throw new NotSupportedException($"tensor '{source.Name}' would take {target.ByteSize} bytes as {GgmlTypes.Info(targetType).Name}; tensors of 2 GiB or more are not supported");
        }
        long rowLength = source.RowLength;
        long rowCount = source.RowCount;
        var srcInfo = GgmlTypes.Info(source.Type);
        var dstInfo = GgmlTypes.Info(targetType);
        long srcRowBytes = srcInfo.RowBytes(rowLength);
        long dstRowBytes = dstInfo.RowBytes(rowLength);
        if (srcRowBytes < 0 || dstRowBytes < 0)
        {
            throw new InvalidDataException($"tensor '{source.Name}': rows of {rowLength} values do not fit {srcInfo.Name} → {dstInfo.Name} blocks");
        }
        var output = new byte[target.ByteSize];
        byte* basePtr = input.TensorPointer(source);
        int rowsPerChunk = (int)Math.Max(1, ChunkValues / rowLength);
        long chunks = (rowCount + rowsPerChunk - 1) / rowsPerChunk;
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) };
        // Quantization tools run once per tensor, not per token: a Parallel.For per tensor costs nothing measurable.
        Parallel.For(0L, chunks, parallel, () => new float[rowsPerChunk * rowLength], (chunk, _, scratch) =>
        {
            long first = chunk * rowsPerChunk;
            int rows = (int)Math.Min(rowsPerChunk, rowCount - first);
            int values = (int)(rows * rowLength);
            var floats = scratch.AsSpan(0, values);
            var src = new ReadOnlySpan<byte>(basePtr + first * srcRowBytes, (int)(rows * srcRowBytes));
            TensorFormats.Dequantize(source.Type, src, floats);
            if (prune is not null)
            {
                WeightPruner.Prune(floats, (int)rowLength, prune, columnImportance);
            }
            var dst = output.AsSpan((int)(first * dstRowBytes), (int)(rows * dstRowBytes));
            if (quantWeights is not null)
            {
                TensorFormats.Quantize(targetType, floats, dst, quantWeights);
            }
            else
            {
                TensorFormats.Quantize(targetType, floats, dst);
            }
            return scratch;
        }, _ => { });
        return output;
    }
}
