using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace EdgeLM.Kernels.Cpu;

/// <summary>Which <see cref="KernelIsa"/> variants this process can run, decided once at start-up.</summary>
public static class CpuCapabilities
{
    /// <summary>The fastest variant this CPU supports; used by the dispatching entry points.</summary>
    public static KernelIsa Best { get; } = PickBest();

    /// <summary>True when the variant can run here (its instructions exist and are hardware accelerated).</summary>
    public static bool IsSupported(KernelIsa isa) => isa switch
    {
        KernelIsa.Scalar => true,
        KernelIsa.Vector128 => Vector128.IsHardwareAccelerated,
        KernelIsa.Avx2 => Avx2.IsSupported && Fma.IsSupported,
        KernelIsa.Avx2Vnni => Avx2.IsSupported && Fma.IsSupported && AvxVnni.IsSupported,
        KernelIsa.Avx512 => Avx512F.IsSupported && Avx512BW.IsSupported && Avx2.IsSupported && Fma.IsSupported,
        _ => false,
    };

    /// <summary>All variants supported here, scalar first.</summary>
    public static IReadOnlyList<KernelIsa> Supported { get; } =
        Enum.GetValues<KernelIsa>().Where(IsSupported).ToArray();

    /// <summary>The 256-bit integer variant to use for quantized kernels when 512-bit float is selected.</summary>
    internal static KernelIsa BestInteger256 =>
        IsSupported(KernelIsa.Avx2Vnni) ? KernelIsa.Avx2Vnni : KernelIsa.Avx2;

    private static KernelIsa PickBest()
    {
        if (IsSupported(KernelIsa.Avx512)) return KernelIsa.Avx512;
        if (IsSupported(KernelIsa.Avx2Vnni)) return KernelIsa.Avx2Vnni;
        if (IsSupported(KernelIsa.Avx2)) return KernelIsa.Avx2;
        if (IsSupported(KernelIsa.Vector128)) return KernelIsa.Vector128;
        return KernelIsa.Scalar;
    }
}
