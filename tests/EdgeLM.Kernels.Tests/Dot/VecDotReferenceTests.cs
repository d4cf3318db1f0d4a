using EdgeLM.Gguf;
using EdgeLM.Kernels.Cpu;
using EdgeLM.Kernels.Dot;
using EdgeLM.TestSupport;

namespace EdgeLM.Kernels.Tests.Dot;

/// <summary>Dot kernels against ggml's exact dot products of the dequantized operands (quant/README.md "vec_dot tolerance").</summary>
public sealed class VecDotReferenceTests
{
    public static TheoryData<string, KernelIsa> TypesAndVariants()
    {
        var d = new TheoryData<string, KernelIsa>();
        foreach (var t in VecDot.WeightTypes)
            foreach (var isa in CpuCapabilities.Supported)
                d.Add(t.ToString(), isa);
        return d;
    }

    /// <summary>The README's suggested tol per type: |ours − exact| ≤ tol·abs + 1e-30.</summary>
    private static double Tolerance(string type) => type switch
    {
        "F32" or "F16" or "BF16" or "Q4_0" or "Q5_0" or "Q8_0" or "Q3_K" => 1e-6,
        "Q2_K" or "Q4_K" or "Q5_K" or "Q6_K" => 1e-5,
        "Q4_1" or "Q5_1" => 2e-2,
        _ => throw new ArgumentException(type),
    };

    [Theory]
    [MemberData(nameof(TypesAndVariants))]
    public void Dot_matches_exact_dot_of_dequantized_values_within_readme_tolerance(string type, KernelIsa isa)
    {
        GgmlTypes.TryParse(type, out var wt);
        var info = GgmlTypes.Info(wt);
        bool usesBlockSum = wt is GgmlType.Q4_1 or GgmlType.Q5_1;
        int checkedRows = 0;
        foreach (var c in QuantVectors.Cases(type))
        {
            var w = c.Bytes("quantized");
            var a = c.Bytes("activation_quantized");
            var exact = c.Doubles("exact_dot_f64");
            var abs = c.Doubles("abs_dot_f64");
            var formula = usesBlockSum ? c.Doubles("formula_dot_f64") : null;
            var skip = c.IntSet("nonfinite_vec_dot_rows");
            int wRow = w.Length / 8, aRow = a.Length / 8;
            for (int r = 0; r < 8; r++)
            {
                if (skip.Contains(r))
                    continue;
                float ours = VecDot.Dot(wt, w.AsSpan(r * wRow, wRow), a.AsSpan(r * aRow, aRow), 256, isa);
                AssertClose(ours, exact[r], Tolerance(type), abs[r], $"{c} row {r} {isa}");
                if (formula is not null)
                    AssertClose(ours, formula[r], 1e-5, abs[r], $"{c} row {r} {isa} vs formula");
                checkedRows++;
            }
            if (c.Json.TryGetProperty("vec_dot_full_finite", out var finite) && !finite.GetBoolean())
                continue;
            float full = VecDot.Dot(wt, w, a, 2048, isa);
            AssertClose(full, c.Doubles("exact_dot_full_f64")[0], Tolerance(type), c.Doubles("abs_dot_full_f64")[0], $"{c} full {isa}");
            if (usesBlockSum)
                AssertClose(full, c.Doubles("formula_dot_full_f64")[0], 1e-5, c.Doubles("abs_dot_full_f64")[0], $"{c} full {isa} vs formula");
        }
        Assert.True(checkedRows >= 60, $"only {checkedRows} rows checked");
        Assert.Equal(256 / info.BlockSize * info.TypeSize * 8, QuantVectors.Cases(type)[0].Bytes("quantized").Length);
    }

    [Fact]
    public void Q4_1_rows_whose_block_sum_overflows_half_are_non_finite_like_ggml()
    {
        foreach (var c in QuantVectors.Cases("Q4_1"))
        {
            var w = c.Bytes("quantized");
            var a = c.Bytes("activation_quantized");
            foreach (int r in c.IntSet("nonfinite_vec_dot_rows"))
                Assert.False(float.IsFinite(VecDot.Dot(GgmlType.Q4_1, w.AsSpan(r * w.Length / 8), a.AsSpan(r * a.Length / 8), 256)), $"{c} row {r}");
        }
    }

    [Fact]
    public void Dot_rejects_a_too_short_weight_row()
    {
        var ex = Assert.Throws<ArgumentException>(() => VecDot.Dot(GgmlType.Q4_K, new byte[100], new byte[292], 256));
        Assert.Contains("144", ex.Message);
    }

    private static void AssertClose(float ours, double reference, double tol, double scale, string what)
    {
        double err = Math.Abs(ours - reference);
        Assert.True(err <= tol * scale + 1e-30, $"{what}: got {ours:R}, reference {reference:R}, |diff| {err:E3} > {tol}·{scale:E3}");
    }
}
