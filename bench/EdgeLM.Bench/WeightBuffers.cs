using System.Runtime.InteropServices;
using EdgeLM.Gguf;

namespace EdgeLM.Bench;

/// <summary>Native, 64-byte aligned random weight matrices with finite half scales (the kernels' speed does not depend on values).</summary>
internal static unsafe class WeightBuffers
{
    private static int[] HalfFields(GgmlType t) => t switch
    {
        GgmlType.Q4_0 or GgmlType.Q5_0 or GgmlType.Q8_0 => [0],
        GgmlType.Q4_1 or GgmlType.Q5_1 or GgmlType.Q4_K or GgmlType.Q5_K => [0, 2],
        GgmlType.Q2_K => [80, 82],
        GgmlType.Q3_K => [108],
        GgmlType.Q6_K => [208],
        _ => [],
    };

    public static byte* Allocate(GgmlType type, int rows, int cols, int seed, out long bytes)
    {
        var info = GgmlTypes.Info(type);
        bytes = rows * info.RowBytes(cols);
        byte* p = (byte*)NativeMemory.AlignedAlloc((nuint)bytes, 64);
        var span = new Span<byte>(p, checked((int)bytes));
        var rng = new Random(seed);
        rng.NextBytes(span);
        if (type is GgmlType.F16)
            for (long i = 0; i < bytes; i += 2)
                *(ushort*)(p + i) = BitConverter.HalfToUInt16Bits((Half)(rng.NextSingle() - 0.5f));
        if (type is GgmlType.F32 or GgmlType.BF16)
            throw new NotSupportedException($"benchmark weights for {type} are not set up");
        long blocks = bytes / info.TypeSize;
        foreach (int off in HalfFields(type))
            for (long b = 0; b < blocks; b++)
                *(ushort*)(p + b * info.TypeSize + off) = BitConverter.HalfToUInt16Bits((Half)(0.01f + rng.NextSingle() * 0.01f));
        return p;
    }
}
