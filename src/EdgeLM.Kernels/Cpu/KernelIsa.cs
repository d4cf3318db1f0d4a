namespace EdgeLM.Kernels.Cpu;

/// <summary>
/// The instruction-set variants a kernel can be run with. Every variant computes the same integer sums
/// inside a block; they differ only in the order floats are summed across blocks.
/// </summary>
public enum KernelIsa
{
    /// <summary>Plain C# loops: the reference every other variant is tested against.</summary>
    Scalar,

    /// <summary>Portable 128-bit <c>Vector128</c> code (x86 SSE or ARM64 AdvSimd).</summary>
    Vector128,

    /// <summary>256-bit AVX2 + FMA, int8 products with <c>vpmaddubsw</c>/<c>vpmaddwd</c>.</summary>
    Avx2,

    /// <summary>256-bit AVX2 with VNNI <c>vpdpbusd</c>/<c>vpdpwssd</c> for the int8 products.</summary>
    Avx2Vnni,

    /// <summary>512-bit AVX-512 float kernels (F32/F16/BF16); integer kernels use the best 256-bit variant.</summary>
    Avx512,
}
