using EdgeLM.Gguf;
using EdgeLM.Kernels.Cpu;
using EdgeLM.Kernels.Dot;

namespace EdgeLM.Kernels.Tests.Dot;

/// <summary>
/// Every SIMD variant against the scalar reference on random rows. All variants compute the same exact integer
/// sum per block and one float term t_b per block; they only sum the terms in another order (lanes, FMA).
/// Recursive summation of m terms errs by at most (m−1)·u·Σ|t_b| (u = 2^-24), the term itself by u·|t_b|, so two
/// variants differ by at most 2(m+1)·u·Σ|t_b|. K-quant kernels write the per-super-block float step exactly as the
/// scalar code and sum blocks in the same order, so they must agree bit for bit.
/// </summary>
public sealed class SimdMatchesScalarTests
{
    public static TheoryData<GgmlType, KernelIsa> TypesAndSimdVariants()
    {
        var d = new TheoryData<GgmlType, KernelIsa>();
        foreach (var t in VecDot.WeightTypes)
            foreach (var isa in KernelTestData.SimdVariants)
                d.Add(t, isa);
        return d;
    }

    [Theory]
    [MemberData(nameof(TypesAndSimdVariants))]
    public void Simd_dot_matches_scalar_reference_on_random_rows(GgmlType type, KernelIsa isa)
    {
        var info = GgmlTypes.Info(type);
        bool kQuant = info.BlockSize == 256;
        int[] lengths = info.BlockSize switch
        {
            1 => [1, 7, 16, 37, 64, 100, 256, 2048, 4099],
            32 => [32, 64, 96, 224, 2048, 4096],
            _ => [256, 768, 2048, 4096],
        };
        var rng = new Random(1234 + (int)type);
        foreach (int n in lengths)
            for (int trial = 0; trial < 4; trial++)
            {
                var w = KernelTestData.WeightRow(type, n, rng);
                var a = KernelTestData.ActivationRow(type, KernelTestData.Normals(n, rng, trial == 3 ? 100f : 1f));
                float scalar = VecDot.Dot(type, w, a, n, KernelIsa.Scalar);
                float simd = VecDot.Dot(type, w, a, n, isa);
                Assert.True(float.IsFinite(scalar), $"{type} n={n}: scalar result {scalar}");
                if (kQuant)
                {
                    Assert.True(BitConverter.SingleToInt32Bits(scalar) == BitConverter.SingleToInt32Bits(simd),
                        $"{type} {isa} n={n} trial {trial}: {simd:R} != scalar {scalar:R}");
                    continue;
                }
                double absTerms = AbsoluteBlockTerms(type, w, a, n, info);
                int m = n / info.BlockSize;
                double bound = 2.0 * (m + 1) * Math.Pow(2, -24) * absTerms;
                Assert.True(Math.Abs(simd - scalar) <= bound,
                    $"{type} {isa} n={n} trial {trial}: {simd:R} vs scalar {scalar:R}, |diff| {Math.Abs(simd - scalar):E3} > {bound:E3}");
            }
    }

    /// <summary>Σ_b |t_b| where t_b is the scalar kernel's term of block b alone (Q4_1/Q5_1: both of its terms).</summary>
    private static double AbsoluteBlockTerms(GgmlType type, byte[] w, byte[] a, int n, GgmlTypeInfo info)
    {
        int aBlock = Activations.ActivationQuantizer.QuantizedRowBytes(Activations.ActivationQuantizer.PairedType(type), info.BlockSize);
        double sum = 0;
        for (int b = 0; b < n / info.BlockSize; b++)
        {
            var wb = w.AsSpan(b * info.TypeSize, info.TypeSize);
            var ab = a.AsSpan(b * aBlock, aBlock);
            sum += Math.Abs(VecDot.Dot(type, wb, ab, info.BlockSize, KernelIsa.Scalar));
            if (type is GgmlType.Q4_1 or GgmlType.Q5_1)
                sum += Math.Abs(HalfBits.ToSingle(BitConverter.ToUInt16(wb[2..])) * HalfBits.ToSingle(BitConverter.ToUInt16(ab[2..])));
        }
        return sum;
    }
}
