using System.Runtime.CompilerServices;
using EdgeLM.Gguf;
using EdgeLM.Kernels.Formats;

namespace EdgeLM.Kernels.Tests.Formats;

public sealed class BlockLayoutTests
{
    [Fact]
    public void Block_structs_have_the_ggml_sizes()
    {
        Check<Q4_0Block>(GgmlType.Q4_0, Q4_0Block.ByteSize, Q4_0Block.BlockSize);
        Check<Q4_1Block>(GgmlType.Q4_1, Q4_1Block.ByteSize, Q4_1Block.BlockSize);
        Check<Q5_0Block>(GgmlType.Q5_0, Q5_0Block.ByteSize, Q5_0Block.BlockSize);
        Check<Q5_1Block>(GgmlType.Q5_1, Q5_1Block.ByteSize, Q5_1Block.BlockSize);
        Check<Q8_0Block>(GgmlType.Q8_0, Q8_0Block.ByteSize, Q8_0Block.BlockSize);
        Check<Q8_1Block>(GgmlType.Q8_1, Q8_1Block.ByteSize, Q8_1Block.BlockSize);
        Check<Q2_KBlock>(GgmlType.Q2_K, Q2_KBlock.ByteSize, Q2_KBlock.BlockSize);
        Check<Q3_KBlock>(GgmlType.Q3_K, Q3_KBlock.ByteSize, Q3_KBlock.BlockSize);
        Check<Q4_KBlock>(GgmlType.Q4_K, Q4_KBlock.ByteSize, Q4_KBlock.BlockSize);
        Check<Q5_KBlock>(GgmlType.Q5_K, Q5_KBlock.ByteSize, Q5_KBlock.BlockSize);
        Check<Q6_KBlock>(GgmlType.Q6_K, Q6_KBlock.ByteSize, Q6_KBlock.BlockSize);
        Check<Q8_KBlock>(GgmlType.Q8_K, Q8_KBlock.ByteSize, Q8_KBlock.BlockSize);
    }

    private static void Check<T>(GgmlType type, int byteSize, int blockSize) where T : unmanaged
    {
        GgmlTypeInfo info = GgmlTypes.Info(type);
        Assert.Equal(info.TypeSize, Unsafe.SizeOf<T>());
        Assert.Equal(info.TypeSize, byteSize);
        Assert.Equal(info.BlockSize, blockSize);
    }

    [Theory]
    [InlineData(GgmlType.IQ2_XXS)]
    [InlineData(GgmlType.MXFP4)]
    [InlineData(GgmlType.I32)]
    public void Unsupported_types_throw_NotSupportedException_naming_the_type(GgmlType type)
    {
        Assert.False(TensorFormats.CanDequantize(type));
        Assert.False(TensorFormats.CanQuantize(type));
        var e1 = Assert.Throws<NotSupportedException>(() => TensorFormats.Dequantize(type, new byte[256], new float[256]));
        Assert.Contains(GgmlTypes.Info(type).Name, e1.Message);
        var e2 = Assert.Throws<NotSupportedException>(() => TensorFormats.Quantize(type, new float[256], new byte[256]));
        Assert.Contains(GgmlTypes.Info(type).Name, e2.Message);
    }

    [Fact]
    public void Wrong_sizes_are_rejected_with_the_sizes_in_the_message()
    {
        var e = Assert.Throws<ArgumentException>(() => TensorFormats.Dequantize(GgmlType.Q4_K, new byte[143], new float[256]));
        Assert.Contains("144", e.Message);
        Assert.Throws<ArgumentException>(() => TensorFormats.Quantize(GgmlType.Q8_0, new float[31], new byte[34]));
    }
}
