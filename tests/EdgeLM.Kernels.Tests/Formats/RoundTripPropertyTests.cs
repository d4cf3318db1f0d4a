using EdgeLM.Gguf;
using EdgeLM.Kernels.Formats;
using FsCheck;
using FsCheck.Fluent;

namespace EdgeLM.Kernels.Tests.Formats;

/// <summary>
/// quantize → dequantize on random rows never throws and every value stays within
/// <c>c·A + M·2^-25 + 1e-14</c> of the input, A = the largest magnitude in its block (256 values for
/// k-quants, 32 otherwise). Why each c:
/// <list type="bullet">
/// <item>Q8_0/Q8_1: half a step of d = A/127, plus d's rounding to half (≤ 2^-11 relative, times |q| ≤ 127): 1/254 + 2^-10.</item>
/// <item>Q4_0/Q5_0: d = max/−8 (−16) puts the largest value at −8 (−16); an opposite-sign value of magnitude A
/// lands on +8 (+16) and is clamped to 7 (15): one full step A/8 (A/16), plus half rounding of d: + 2^-9.</item>
/// <item>Q4_1/Q5_1: half a step of (max−min)/15 (/31) ≤ 2A/15 (2A/31), plus half rounding of d and m: + 2^-9.</item>
/// <item>Q8_K: float scale, half a step of A/127: 1/254 (+ float rounding).</item>
/// <item>Q2_K..Q6_K: the scale search may trade the clamped extreme for a finer grid and sub-block scales are rounded
/// to 4/6/8 bits, so allow 1.5 steps of a b-bit grid spanning 2A: 1.5·2/(2^b − 1) (Q3_K and Q6_K are symmetric,
/// same formula).</item>
/// <item>F16: 2^-11 relative; BF16: 2^-8 relative; F32: exact.</item>
/// </list>
/// M·2^-25 covers scales stored as half that fall into the half subnormal range (absolute precision 2^-25),
/// M being the largest integer factor the half scale is multiplied by; 1e-14 covers the k-quant groups
/// whose maximum is below GROUP_MAX_EPS (1e-15) and are stored as zeros.
/// </summary>
public sealed class RoundTripPropertyTests
{
    public static TheoryData<GgmlType, double, double> Bounds() => new()
    {
        { GgmlType.F32, 0, 0 },
        { GgmlType.F16, 1.0 / 2048, 1 },
        { GgmlType.BF16, 1.0 / 256, 0 },
        { GgmlType.Q8_0, 1.0 / 254 + 1.0 / 1024, 128 },
        { GgmlType.Q8_1, 1.0 / 254 + 1.0 / 1024, 128 },
        { GgmlType.Q4_0, 1.0 / 8 + 1.0 / 512, 8 },
        { GgmlType.Q5_0, 1.0 / 16 + 1.0 / 512, 16 },
        { GgmlType.Q4_1, 1.0 / 15 + 1.0 / 512, 16 },
        { GgmlType.Q5_1, 1.0 / 31 + 1.0 / 512, 32 },
        { GgmlType.Q8_K, 1.0 / 254 + 1e-6, 0 },
        { GgmlType.Q2_K, 1.5 * 2 / 3, 60 },
        { GgmlType.Q3_K, 1.5 * 2 / 7, 128 },
        { GgmlType.Q4_K, 1.5 * 2 / 15, 1008 },
        { GgmlType.Q5_K, 1.5 * 2 / 31, 2016 },
        { GgmlType.Q6_K, 1.5 * 2 / 63, 4096 },
    };

    [Theory]
    [MemberData(nameof(Bounds))]
    public void Quantize_then_dequantize_stays_within_the_type_error_bound(GgmlType type, double relative, double halfUnits)
    {
        GgmlTypeInfo info = GgmlTypes.Info(type);
        int group = info.IsQuantized ? info.BlockSize : 1;
        double absolute = halfUnits * Math.Pow(2, -25) + 1e-14;
        Prop.ForAll(Rows().ToArbitrary(), (float[] x) =>
        {
            byte[] q = new byte[info.RowBytes(x.Length)];
            TensorFormats.Quantize(type, x, q);
            float[] y = new float[x.Length];
            TensorFormats.Dequantize(type, q, y);
            for (int b = 0; b < x.Length; b += group)
            {
                double a = 0;
                for (int i = b; i < b + group; i++)
                {
                    a = Math.Max(a, Math.Abs(x[i]));
                }
                double bound = relative * a + absolute;
                for (int i = b; i < b + group; i++)
                {
                    double err = Math.Abs((double)x[i] - y[i]);
                    if (!(err <= bound))
                    {
                        throw new Xunit.Sdk.XunitException($"{info.Name}: value {i} = {x[i]:R} came back as {y[i]:R}, error {err:G4} > bound {bound:G4}");
                    }
                }
            }
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(150));
    }

    /// <summary>1 to 3 rows of 256 values; each row has its own magnitude 10^e (e in −30..4) and shape.</summary>
    private static Gen<float[]> Rows() =>
        Gen.Choose(1, 3).SelectMany(n => Gen.ArrayOf(Row(), n)).Select(rows => rows.SelectMany(r => r).ToArray());

    private static Gen<float[]> Row() =>
        from e in Gen.Choose(-30, 4)
        from shape in Gen.Choose(0, 4)
        from ints in Gen.ArrayOf(Gen.Choose(-1_000_000, 1_000_000), 256)
        select Shape(ints, Math.Pow(10, e), shape);

    private static float[] Shape(int[] ints, double scale, int shape)
    {
        float[] x = new float[ints.Length];
        for (int i = 0; i < x.Length; i++)
        {
            double u = ints[i] / 1e6;
            double v = shape switch
            {
                0 => u,                                  // symmetric uniform
                1 => 0.5 * (u + 1) + 2,                  // positive with an offset (exercises the mins)
                2 => ints[0] / 1e6,                      // constant
                3 => i % 7 == 0 ? u : 0,                 // mostly zeros
                _ => u * u * u,                          // heavy centre, rare large values
            };
            x[i] = (float)(v * scale);
        }
        return x;
    }
}
