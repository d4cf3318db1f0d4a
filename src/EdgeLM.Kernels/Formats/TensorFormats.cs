using System.Runtime.InteropServices;
using EdgeLM.Gguf;

namespace EdgeLM.Kernels.Formats;

/// <summary>
/// The one entry point the engine uses to turn tensor bytes into floats and back. Dequantization is
/// bit-exact with ggml's to_float for every supported type; quantization is ggml's reference
/// quantizer (quantize_row_*_ref, no importance matrix), byte-exact on x86-64.
/// </summary>
public static class TensorFormats
{
    public static bool CanDequantize(GgmlType type) => type switch
    {
        GgmlType.F32 or GgmlType.F16 or GgmlType.BF16 or
        GgmlType.Q4_0 or GgmlType.Q4_1 or GgmlType.Q5_0 or GgmlType.Q5_1 or GgmlType.Q8_0 or GgmlType.Q8_1 or
        GgmlType.Q2_K or GgmlType.Q3_K or GgmlType.Q4_K or GgmlType.Q5_K or GgmlType.Q6_K or GgmlType.Q8_K => true,
        _ => false,
    };

    public static bool CanQuantize(GgmlType type) => CanDequantize(type);

    /// <summary>
    /// Decodes <paramref name="dst"/>.Length values (a whole number of blocks) from <paramref name="src"/>,
    /// which must hold exactly those blocks.
    /// </summary>
    public static void Dequantize(GgmlType type, ReadOnlySpan<byte> src, Span<float> dst)
    {
        CheckSizes(type, src.Length, dst.Length, CanDequantize(type), "dequantize");
        switch (type)
        {
            case GgmlType.F32:
                MemoryMarshal.Cast<byte, float>(src).CopyTo(dst);
                break;
            case GgmlType.F16:
                Fp16.HalfToFloat(MemoryMarshal.Cast<byte, ushort>(src), dst);
                break;
            case GgmlType.BF16:
                Fp16.BF16ToFloat(MemoryMarshal.Cast<byte, ushort>(src), dst);
                break;
            case GgmlType.Q4_0:
                Q4_0Block.Dequantize(MemoryMarshal.Cast<byte, Q4_0Block>(src), dst);
                break;
            case GgmlType.Q4_1:
                Q4_1Block.Dequantize(MemoryMarshal.Cast<byte, Q4_1Block>(src), dst);
                break;
            case GgmlType.Q5_0:
                Q5_0Block.Dequantize(MemoryMarshal.Cast<byte, Q5_0Block>(src), dst);
                break;
            case GgmlType.Q5_1:
                Q5_1Block.Dequantize(MemoryMarshal.Cast<byte, Q5_1Block>(src), dst);
                break;
            case GgmlType.Q8_0:
                Q8_0Block.Dequantize(MemoryMarshal.Cast<byte, Q8_0Block>(src), dst);
                break;
            case GgmlType.Q8_1:
                Q8_1Block.Dequantize(MemoryMarshal.Cast<byte, Q8_1Block>(src), dst);
                break;
            case GgmlType.Q2_K:
                Q2_KBlock.Dequantize(MemoryMarshal.Cast<byte, Q2_KBlock>(src), dst);
                break;
            case GgmlType.Q3_K:
                Q3_KBlock.Dequantize(MemoryMarshal.Cast<byte, Q3_KBlock>(src), dst);
                break;
            case GgmlType.Q4_K:
                Q4_KBlock.Dequantize(MemoryMarshal.Cast<byte, Q4_KBlock>(src), dst);
                break;
            case GgmlType.Q5_K:
                Q5_KBlock.Dequantize(MemoryMarshal.Cast<byte, Q5_KBlock>(src), dst);
                break;
            case GgmlType.Q6_K:
                Q6_KBlock.Dequantize(MemoryMarshal.Cast<byte, Q6_KBlock>(src), dst);
                break;
            case GgmlType.Q8_K:
                Q8_KBlock.Dequantize(MemoryMarshal.Cast<byte, Q8_KBlock>(src), dst);
                break;
        }
    }

    /// <summary>
    /// Encodes <paramref name="src"/> (a whole number of blocks) into <paramref name="dst"/>, which must be
    /// exactly the size of those blocks, with ggml's reference quantizer.
    /// </summary>
    public static void Quantize(GgmlType type, ReadOnlySpan<float> src, Span<byte> dst)
    {
        CheckSizes(type, dst.Length, src.Length, CanQuantize(type), "quantize");
        switch (type)
        {
            case GgmlType.F32:
                src.CopyTo(MemoryMarshal.Cast<byte, float>(dst));
                break;
            case GgmlType.F16:
                Fp16.FloatToHalf(src, MemoryMarshal.Cast<byte, ushort>(dst));
                break;
            case GgmlType.BF16:
                Fp16.FloatToBF16(src, MemoryMarshal.Cast<byte, ushort>(dst));
                break;
            case GgmlType.Q4_0:
                Q4_0Block.Quantize(src, MemoryMarshal.Cast<byte, Q4_0Block>(dst));
                break;
            case GgmlType.Q4_1:
                Q4_1Block.Quantize(src, MemoryMarshal.Cast<byte, Q4_1Block>(dst));
                break;
            case GgmlType.Q5_0:
                Q5_0Block.Quantize(src, MemoryMarshal.Cast<byte, Q5_0Block>(dst));
                break;
            case GgmlType.Q5_1:
                Q5_1Block.Quantize(src, MemoryMarshal.Cast<byte, Q5_1Block>(dst));
                break;
            case GgmlType.Q8_0:
                Q8_0Block.Quantize(src, MemoryMarshal.Cast<byte, Q8_0Block>(dst));
                break;
            case GgmlType.Q8_1:
                Q8_1Block.Quantize(src, MemoryMarshal.Cast<byte, Q8_1Block>(dst));
                break;
            case GgmlType.Q2_K:
                Q2_KBlock.Quantize(src, MemoryMarshal.Cast<byte, Q2_KBlock>(dst));
                break;
            case GgmlType.Q3_K:
                Q3_KBlock.Quantize(src, MemoryMarshal.Cast<byte, Q3_KBlock>(dst));
                break;
            case GgmlType.Q4_K:
                Q4_KBlock.Quantize(src, MemoryMarshal.Cast<byte, Q4_KBlock>(dst));
                break;
            case GgmlType.Q5_K:
                Q5_KBlock.Quantize(src, MemoryMarshal.Cast<byte, Q5_KBlock>(dst));
                break;
            case GgmlType.Q6_K:
                Q6_KBlock.Quantize(src, MemoryMarshal.Cast<byte, Q6_KBlock>(dst));
                break;
            case GgmlType.Q8_K:
                Q8_KBlock.Quantize(src, MemoryMarshal.Cast<byte, Q8_KBlock>(dst));
                break;
        }
    }

    /// <summary>True when <see cref="Quantize(GgmlType, ReadOnlySpan{float}, Span{byte}, ReadOnlySpan{float})"/> accepts the type.</summary>
    public static bool CanQuantizeWeighted(GgmlType type) => type switch
    {
        GgmlType.F32 or GgmlType.F16 or GgmlType.BF16 or GgmlType.Q8_0 or GgmlType.Q8_1 or GgmlType.Q8_K or
        GgmlType.Q4_0 or GgmlType.Q4_1 or GgmlType.Q5_0 or GgmlType.Q5_1 or GgmlType.Q6_K => true,
        _ => false,
    };

    /// <summary>
    /// Importance-weighted quantization (llama.cpp with an imatrix): <paramref name="importance"/> holds one
    /// weight per column, its length is the row length, and <paramref name="src"/> is a whole number of rows.
    /// F32/F16/BF16/Q8_0/Q8_1/Q8_K ignore the weights, as ggml_quantize_chunk does.
    /// </summary>
    public static void Quantize(GgmlType type, ReadOnlySpan<float> src, Span<byte> dst, ReadOnlySpan<float> importance)
    {
        if (!CanQuantizeWeighted(type))
        {
            throw new NotSupportedException($"importance-weighted quantization to {Name(type)} is not implemented");
        }
        CheckSizes(type, dst.Length, src.Length, true, "quantize");
        int perRow = importance.Length;
        GgmlTypeInfo info = GgmlTypes.Info(type);
        if (perRow == 0 || perRow % info.BlockSize != 0 || src.Length % perRow != 0)
        {
            throw new ArgumentException($"{info.Name}: importance has {perRow} weights; it needs one per column, a whole number of blocks of {info.BlockSize} that divides the {src.Length} values");
        }
        int rowBytes = (int)info.RowBytes(perRow);
        for (int r = 0; r < src.Length / perRow; r++)
        {
            ReadOnlySpan<float> row = src.Slice(r * perRow, perRow);
            Span<byte> q = dst.Slice(r * rowBytes, rowBytes);
            switch (type)
            {
                case GgmlType.Q4_0:
                    Q4_0Block.QuantizeWeighted(row, MemoryMarshal.Cast<byte, Q4_0Block>(q), importance);
                    break;
                case GgmlType.Q4_1:
                    Q4_1Block.QuantizeWeighted(row, MemoryMarshal.Cast<byte, Q4_1Block>(q), importance);
                    break;
                case GgmlType.Q5_0:
                    Q5_0Block.QuantizeWeighted(row, MemoryMarshal.Cast<byte, Q5_0Block>(q), importance);
                    break;
                case GgmlType.Q5_1:
                    Q5_1Block.QuantizeWeighted(row, MemoryMarshal.Cast<byte, Q5_1Block>(q), importance);
                    break;
                case GgmlType.Q6_K:
                    Q6_KBlock.QuantizeWeighted(row, MemoryMarshal.Cast<byte, Q6_KBlock>(q), importance);
                    break;
                default:
                    Quantize(type, row, q);
                    break;
            }
        }
    }

    private static void CheckSizes(GgmlType type, int bytes, int elements, bool supported, string operation)
    {
        if (!supported)
        {
            throw new NotSupportedException($"cannot {operation} tensor type {Name(type)}: not implemented");
        }
        GgmlTypeInfo info = GgmlTypes.Info(type);
        if (elements % info.BlockSize != 0)
        {
            throw new ArgumentException($"{info.Name}: {elements} values is not a whole number of blocks of {info.BlockSize}");
        }
        long expected = (long)elements / info.BlockSize * info.TypeSize;
        if (bytes != expected)
        {
            throw new ArgumentException($"{info.Name}: {elements} values take {expected} bytes, but the byte span has {bytes}");
        }
    }

    private static string Name(GgmlType type) =>
        GgmlTypes.TryGet((uint)type, out GgmlTypeInfo info) ? info.Name : $"id {(uint)type}";
}
