using System.Runtime.InteropServices;
using EdgeLM.Gguf;
using EdgeLM.Kernels.Cpu;

namespace EdgeLM.Kernels.Activations;

/// <summary>
/// Rounds float activations to the type ggml's CPU matmul pairs with each weight type (its <c>vec_dot_type</c>),
/// byte for byte as <c>from_float</c> of that type does on x86: Q8_0/Q8_1 the AVX2 variant, Q8_K the reference.
/// </summary>
public static class ActivationQuantizer
{
    /// <summary>
    /// The activation type a weight type is multiplied with (ggml type_traits_cpu vec_dot_type):
    /// Q4_0/Q5_0/Q8_0 → Q8_0, Q4_1/Q5_1 → Q8_1, Q2_K..Q6_K → Q8_K, F32/F16/BF16 → themselves.
    /// </summary>
    public static GgmlType PairedType(GgmlType weightType) => weightType switch
    {
        GgmlType.Q4_0 or GgmlType.Q5_0 or GgmlType.Q8_0 => GgmlType.Q8_0,
        GgmlType.Q4_1 or GgmlType.Q5_1 => GgmlType.Q8_1,
        GgmlType.Q2_K or GgmlType.Q3_K or GgmlType.Q4_K or GgmlType.Q5_K or GgmlType.Q6_K => GgmlType.Q8_K,
        GgmlType.F32 or GgmlType.F16 or GgmlType.BF16 => weightType,
        _ => throw new NotSupportedException($"no dot product kernel for weight type {weightType}"),
    };

    /// <summary>Bytes of <paramref name="n"/> values quantized to <paramref name="activationType"/>.</summary>
    public static int QuantizedRowBytes(GgmlType activationType, int n)
    {
        CheckActivationType(activationType);
        var info = GgmlTypes.Info(activationType);
        if (n < 0 || n % info.BlockSize != 0)
            throw new ArgumentException($"row length {n} is not a multiple of the {activationType} block size {info.BlockSize}", nameof(n));
        return checked(n / info.BlockSize * info.TypeSize);
    }

    /// <summary>Quantizes <paramref name="x"/> into <paramref name="dst"/> with the fastest variant this CPU has.</summary>
    public static void Quantize(GgmlType activationType, ReadOnlySpan<float> x, Span<byte> dst) =>
        Quantize(activationType, x, dst, CpuCapabilities.Best);

    /// <summary>Quantizes with an explicit variant (the result is identical for every variant).</summary>
    public static void Quantize(GgmlType activationType, ReadOnlySpan<float> x, Span<byte> dst, KernelIsa isa)
    {
        int bytes = QuantizedRowBytes(activationType, x.Length);
        if (dst.Length < bytes)
            throw new ArgumentException($"destination holds {dst.Length} bytes, {activationType} row of {x.Length} needs {bytes}", nameof(dst));
        if (!CpuCapabilities.IsSupported(isa))
            throw new PlatformNotSupportedException($"kernel variant {isa} is not supported on this CPU");

        bool simd = isa is KernelIsa.Avx2 or KernelIsa.Avx2Vnni or KernelIsa.Avx512;
        dst = dst[..bytes];
        switch (activationType)
        {
            case GgmlType.Q8_0:
                if (simd) Q8Activation.QuantizeAvx2(x, dst, withSum: false);
                else Q8Activation.QuantizeScalar(x, dst, withSum: false);
                break;
            case GgmlType.Q8_1:
                if (simd) Q8Activation.QuantizeAvx2(x, dst, withSum: true);
                else Q8Activation.QuantizeScalar(x, dst, withSum: true);
                break;
            case GgmlType.Q8_K:
                if (simd) Q8KActivation.QuantizeAvx2(x, dst);
                else Q8KActivation.QuantizeScalar(x, dst);
                break;
            case GgmlType.F32:
                MemoryMarshal.AsBytes(x).CopyTo(dst);
                break;
            case GgmlType.F16:
                FloatActivation.ToHalf(x, MemoryMarshal.Cast<byte, ushort>(dst));
                break;
            case GgmlType.BF16:
                if (simd) FloatActivation.ToBFloat16Avx2(x, MemoryMarshal.Cast<byte, ushort>(dst));
                else FloatActivation.ToBFloat16Scalar(x, MemoryMarshal.Cast<byte, ushort>(dst));
                break;
        }
    }

    private static void CheckActivationType(GgmlType t)
    {
        if (t is not (GgmlType.Q8_0 or GgmlType.Q8_1 or GgmlType.Q8_K or GgmlType.F32 or GgmlType.F16 or GgmlType.BF16))
            throw new NotSupportedException($"{t} is not an activation type (expected Q8_0, Q8_1, Q8_K, F32, F16 or BF16)");
    }
}
