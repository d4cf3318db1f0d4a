using EdgeLM.Gguf;
using EdgeLM.Kernels.Activations;
using EdgeLM.Kernels.Cpu;

namespace EdgeLM.Kernels.Dot;

/// <summary>
/// Dot product of one weight row with one activation row already quantized to the paired type
/// (<see cref="ActivationQuantizer.PairedType"/>), like ggml's <c>vec_dot</c>. The kernel for each type is chosen
/// once (<see cref="CpuCapabilities.Best"/>); <see cref="Kernel"/> hands out any variant's function pointer.
/// </summary>
public static unsafe class VecDot
{

    /// <summary>The weight types with a dot kernel.</summary>
    public static IReadOnlyList<GgmlType> WeightTypes { get; } =
    [
        GgmlType.F32, GgmlType.F16, GgmlType.BF16, GgmlType.Q4_0, GgmlType.Q4_1, GgmlType.Q5_0, GgmlType.Q5_1,
        GgmlType.Q8_0, GgmlType.Q2_K, GgmlType.Q3_K, GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K,
    ];

    private static readonly nint[] s_best = BuildTable(CpuCapabilities.Best);

    /// <summary>Dot product with the best variant for this CPU; n must be a multiple of the block size.</summary>
    public static float Dot(GgmlType weightType, ReadOnlySpan<byte> weightRow, ReadOnlySpan<byte> activationRow, int n) =>
        Dot(weightType, weightRow, activationRow, n, CpuCapabilities.Best);

    /// <summary>Dot product with an explicit variant (for tests and benchmarks).</summary>
    public static float Dot(GgmlType weightType, ReadOnlySpan<byte> weightRow, ReadOnlySpan<byte> activationRow, int n, KernelIsa isa)
    {
        var kernel = Kernel(weightType, isa);
        long wBytes = GgmlTypes.Info(weightType).RowBytes(n);
        if (wBytes < 0)
            throw new ArgumentException($"row length {n} is not a multiple of the {weightType} block size", nameof(n));
        int aBytes = ActivationQuantizer.QuantizedRowBytes(ActivationQuantizer.PairedType(weightType), n);
        if (weightRow.Length < wBytes)
            throw new ArgumentException($"{weightType} weight row of {n} values needs {wBytes} bytes, got {weightRow.Length}", nameof(weightRow));
        if (activationRow.Length < aBytes)
            throw new ArgumentException($"activation row of {n} values needs {aBytes} bytes, got {activationRow.Length}", nameof(activationRow));
        fixed (byte* w = weightRow)
        fixed (byte* a = activationRow)
            return kernel(w, a, n);
    }

    /// <summary>The best variant's kernel for a weight type: (weight row, paired activation row, n) → dot.</summary>
    public static delegate*<byte*, byte*, int, float> Kernel(GgmlType weightType)
    {
        nint k = (uint)weightType < (uint)s_best.Length ? s_best[(int)weightType] : 0;
        if (k == 0)
            throw new NotSupportedException($"no dot product kernel for weight type {weightType}");
        return (delegate*<byte*, byte*, int, float>)k;
    }

    /// <summary>A specific variant's kernel; throws when this CPU cannot run it.</summary>
    public static delegate*<byte*, byte*, int, float> Kernel(GgmlType weightType, KernelIsa isa)
    {
        if (!CpuCapabilities.IsSupported(isa))
            throw new PlatformNotSupportedException($"kernel variant {isa} is not supported on this CPU");
        var k = Resolve(weightType, isa);
        if (k == null)
            throw new NotSupportedException($"no dot product kernel for weight type {weightType}");
        return k;
    }

    /// <summary>
    /// The 8-row kernels (<see cref="VnniRows8"/>) for a weight type and variant, or empty where there are none.
    /// Their outputs equal <see cref="Kernel(GgmlType, KernelIsa)"/>'s bit for bit.
    /// </summary>
    internal static Rows8Kernels Rows8(GgmlType weightType, KernelIsa isa)
    {
        bool vnni = isa == KernelIsa.Avx2Vnni || (isa == KernelIsa.Avx512 && CpuCapabilities.BestInteger256 == KernelIsa.Avx2Vnni);
        if (!vnni || !CpuCapabilities.IsSupported(isa))
            return default;
        return weightType switch
        {
            GgmlType.Q4_0 => new Rows8Kernels([(nint)(delegate*<byte*, long, byte*, int, float*, int*, int, int, float*, int, void>)&VnniRows8.Q4_0<OneToken>,
                (nint)(delegate*<byte*, long, byte*, int, float*, int*, int, int, float*, int, void>)&VnniRows8.Q4_0<TwoTokens>,
                (nint)(delegate*<byte*, long, byte*, int, float*, int*, int, int, float*, int, void>)&VnniRows8.Q4_0<ThreeTokens>,
                (nint)(delegate*<byte*, long, byte*, int, float*, int*, int, int, float*, int, void>)&VnniRows8.Q4_0<FourTokens>,
                (nint)(delegate*<byte*, long, byte*, int, float*, int*, int, int, float*, int, void>)&VnniRows8.Q4_0<FiveTokens>,
                (nint)(delegate*<byte*, long, byte*, int, float*, int*, int, int, float*, int, void>)&VnniRows8.Q4_0<SixTokens>,
                (nint)(delegate*<byte*, long, byte*, int, float*, int*, int, int, float*, int, void>)&VnniRows8.Q4_0<SevenTokens>,
                (nint)(delegate*<byte*, long, byte*, int, float*, int*, int, int, float*, int, void>)&VnniRows8.Q4_0<EightTokens>], false, true),
            GgmlType.Q8_0 => new Rows8Kernels([(nint)(delegate*<byte*, long, byte*, int, float*, int*, int, int, float*, int, void>)&VnniRows8.Q8_0<OneToken>,
                (nint)(delegate*<byte*, long, byte*, int, float*, int*, int, int, float*, int, void>)&VnniRows8.Q8_0<TwoTokens>,
                (nint)(delegate*<byte*, long, byte*, int, float*, int*, int, int, float*, int, void>)&VnniRows8.Q8_0<ThreeTokens>,
                (nint)(delegate*<byte*, long, byte*, int, float*, int*, int, int, float*, int, void>)&VnniRows8.Q8_0<FourTokens>,
                (nint)(delegate*<byte*, long, byte*, int, float*, int*, int, int, float*, int, void>)&VnniRows8.Q8_0<FiveTokens>,
                (nint)(delegate*<byte*, long, byte*, int, float*, int*, int, int, float*, int, void>)&VnniRows8.Q8_0<SixTokens>,
                (nint)(delegate*<byte*, long, byte*, int, float*, int*, int, int, float*, int, void>)&VnniRows8.Q8_0<SevenTokens>,
                (nint)(delegate*<byte*, long, byte*, int, float*, int*, int, int, float*, int, void>)&VnniRows8.Q8_0<EightTokens>], true, true),
            GgmlType.Q4_K => new Rows8Kernels([(nint)(delegate*<byte*, long, byte*, int, float*, int*, int, int, float*, int, void>)&VnniRows8.Q4_K<OneToken>,
                (nint)(delegate*<byte*, long, byte*, int, float*, int*, int, int, float*, int, void>)&VnniRows8.Q4_K<TwoTokens>,
                (nint)(delegate*<byte*, long, byte*, int, float*, int*, int, int, float*, int, void>)&VnniRows8.Q4_K<ThreeTokens>,
                (nint)(delegate*<byte*, long, byte*, int, float*, int*, int, int, float*, int, void>)&VnniRows8.Q4_K<FourTokens>], false, false),
            GgmlType.Q6_K => new Rows8Kernels([(nint)(delegate*<byte*, long, byte*, int, float*, int*, int, int, float*, int, void>)&VnniRows8.Q6_K<OneToken>,
                (nint)(delegate*<byte*, long, byte*, int, float*, int*, int, int, float*, int, void>)&VnniRows8.Q6_K<TwoTokens>,
                (nint)(delegate*<byte*, long, byte*, int, float*, int*, int, int, float*, int, void>)&VnniRows8.Q6_K<ThreeTokens>,
                (nint)(delegate*<byte*, long, byte*, int, float*, int*, int, int, float*, int, void>)&VnniRows8.Q6_K<FourTokens>], false, false),
            _ => default,
        };
    }

    private static nint[] BuildTable(KernelIsa isa)
    {
        var t = new nint[40];
        foreach (var type in WeightTypes)
            t[(int)type] = (nint)Resolve(type, isa);
        return t;
    }

    private static delegate*<byte*, byte*, int, float> Resolve(GgmlType type, KernelIsa isa) => isa switch
    {
        KernelIsa.Scalar => ScalarKernel(type),
        KernelIsa.Vector128 => Vector128Kernel(type),
        KernelIsa.Avx2 => Avx2Kernel<MaddProducts>(type),
        KernelIsa.Avx2Vnni => Avx2Kernel<VnniProducts>(type),
        KernelIsa.Avx512 => type switch
        {
            GgmlType.F32 => &Avx512Dot.F32,
            GgmlType.F16 => &Avx512Dot.F16,
            GgmlType.BF16 => &Avx512Dot.BF16,
            _ => CpuCapabilities.BestInteger256 == KernelIsa.Avx2Vnni ? Avx2Kernel<VnniProducts>(type) : Avx2Kernel<MaddProducts>(type),
        },
        _ => null,
    };

    private static delegate*<byte*, byte*, int, float> ScalarKernel(GgmlType type) => type switch
    {
        GgmlType.F32 => &ScalarDot.F32,
        GgmlType.F16 => &ScalarDot.F16,
        GgmlType.BF16 => &ScalarDot.BF16,
        GgmlType.Q4_0 => &ScalarDot.Q4_0,
        GgmlType.Q4_1 => &ScalarDot.Q4_1,
        GgmlType.Q5_0 => &ScalarDot.Q5_0,
        GgmlType.Q5_1 => &ScalarDot.Q5_1,
        GgmlType.Q8_0 => &ScalarDot.Q8_0,
        GgmlType.Q2_K => &ScalarDot.Q2_K,
        GgmlType.Q3_K => &ScalarDot.Q3_K,
        GgmlType.Q4_K => &ScalarDot.Q4_K,
        GgmlType.Q5_K => &ScalarDot.Q5_K,
        GgmlType.Q6_K => &ScalarDot.Q6_K,
        _ => null,
    };

    private static delegate*<byte*, byte*, int, float> Vector128Kernel(GgmlType type) => type switch
    {
        GgmlType.F32 => &Vector128Dot.F32,
        GgmlType.F16 => &Vector128Dot.F16,
        GgmlType.BF16 => &Vector128Dot.BF16,
        GgmlType.Q4_0 => &Vector128Dot.Q4_0,
        GgmlType.Q8_0 => &Vector128Dot.Q8_0,
        _ => ScalarKernel(type),
    };

    private static delegate*<byte*, byte*, int, float> Avx2Kernel<T>(GgmlType type) where T : struct, IInt8Products => type switch
    {
        GgmlType.F32 => &Avx2Dot<T>.F32,
        GgmlType.F16 => &Avx2Dot<T>.F16,
        GgmlType.BF16 => &Avx2Dot<T>.BF16,
        GgmlType.Q4_0 => &Avx2Dot<T>.Q4_0,
        GgmlType.Q4_1 => &Avx2Dot<T>.Q4_1,
        GgmlType.Q5_0 => &Avx2Dot<T>.Q5_0,
        GgmlType.Q5_1 => &Avx2Dot<T>.Q5_1,
        GgmlType.Q8_0 => &Avx2Dot<T>.Q8_0,
        GgmlType.Q2_K => &Avx2Dot<T>.Q2_K,
        GgmlType.Q3_K => &Avx2Dot<T>.Q3_K,
        GgmlType.Q4_K => &Avx2Dot<T>.Q4_K,
        GgmlType.Q5_K => &Avx2Dot<T>.Q5_K,
        GgmlType.Q6_K => &Avx2Dot<T>.Q6_K,
        _ => null,
    };
}

/// <summary>
/// One weight type's 8-row kernels, one per token count 1..<see cref="MaxTokens"/> (Widths[w − 1] handles w tokens):
/// (weights of rows r..r+7, weight row bytes, activations of the first token, activation row bytes, its dy side
/// array, its Σy side array, side stride, n, output at [t·ld + r], ld). With <c>unsignedActivations</c> the kernels
/// read the activations' offset copy (int8 XOR 0x80). The side arrays are filled only for kernels that read them
/// (<c>q8_0Side</c>).
/// </summary>
internal readonly unsafe struct Rows8Kernels(nint[] widths, bool unsignedActivations, bool q8_0Side)
{
    private readonly nint[]? _widths = widths;

    /// <summary>The widest call (8 for the 32-value types, whose weight registers leave room for 8 accumulators; 4 for K-quants).</summary>
    public int MaxTokens => _widths?.Length ?? 0;

    /// <summary>The kernel for <paramref name="tokens"/> tokens (1..MaxTokens).</summary>
    public delegate*<byte*, long, byte*, int, float*, int*, int, int, float*, int, void> Width(int tokens) =>
        (delegate*<byte*, long, byte*, int, float*, int*, int, int, float*, int, void>)_widths![tokens - 1];

    public bool UnsignedActivations { get; } = unsignedActivations;

    /// <summary>True when the kernels read the <see cref="Q8_0Side"/> arrays (dy, Σy) of Q8_0 activations.</summary>
    public bool Q8_0Side { get; } = q8_0Side;

    public bool IsEmpty => _widths == null;
}
