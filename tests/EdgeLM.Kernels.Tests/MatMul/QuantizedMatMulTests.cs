using EdgeLM.Gguf;
using EdgeLM.Kernels.Activations;
using EdgeLM.Kernels.Cpu;
using EdgeLM.Kernels.Dot;
using EdgeLM.Kernels.MatMul;
using EdgeLM.Kernels.Tests.Dot;
using EdgeLM.Kernels.Threading;

namespace EdgeLM.Kernels.Tests.MatMul;

public sealed unsafe class QuantizedMatMulTests
{
    public static TheoryData<GgmlType> Types()
    {
        var d = new TheoryData<GgmlType>();
        foreach (var t in VecDot.WeightTypes)
            d.Add(t);
        return d;
    }

    /// <summary>
    /// Every output is one kernel call on the same bytes, whatever thread computes it, so single-threaded,
    /// multi-threaded and a naive loop of VecDot must agree bit for bit.
    /// </summary>
    [Theory]
    [MemberData(nameof(Types))]
    public void MatMul_single_and_multi_threaded_equal_a_naive_loop_of_dot(GgmlType type)
    {
        // 512 columns: whole groups of 4 blocks; 224: a tail of 3 (32-value types)
        foreach (int cols in new[] { 512, 224 })
            if (cols % GgmlTypes.Info(type).BlockSize == 0)
                MatMulEqualsNaiveLoop(type, cols);
    }

    private static void MatMulEqualsNaiveLoop(GgmlType type, int cols)
    {
        const int rows = 67;
        var rng = new Random(77 + (int)type);
        var w = KernelTestData.WeightRow(type, rows * cols, rng);
        long rowBytes = GgmlTypes.Info(type).RowBytes(cols);
        using var one = new WorkerPool(1);
        using var three = new WorkerPool(3);
        using var scratch = new MatMulScratch();
        // 1..8 tokens: each 8-row kernel width alone (K-quants go up to 4, so 5..8 also test their 4 + tail);
        // 14 and 37: full-width calls followed by a tail, and (37) a second token tile
        foreach (int tokens in new[] { 1, 2, 3, 4, 5, 6, 7, 8, 14, 37 })
        {
            var x = KernelTestData.Normals(tokens * cols, rng, 1f);
            var naive = new float[tokens * rows];
            var at = ActivationQuantizer.PairedType(type);
            var a = new byte[ActivationQuantizer.QuantizedRowBytes(at, cols)];
            for (int t = 0; t < tokens; t++)
            {
                ActivationQuantizer.Quantize(at, x.AsSpan(t * cols, cols), a);
                for (int r = 0; r < rows; r++)
                    naive[t * rows + r] = VecDot.Dot(type, w.AsSpan((int)(r * rowBytes), (int)rowBytes), a, cols);
            }
            var y1 = new float[tokens * rows];
            var y3 = new float[tokens * rows];
            fixed (byte* wp = w)
            {
                QuantizedMatMul.Multiply(one, scratch, type, wp, rows, cols, x, tokens, y1);
                QuantizedMatMul.Multiply(three, scratch, type, wp, rows, cols, x, tokens, y3);
            }
            Assert.Equal(naive, y1);
            Assert.Equal(naive, y3);
            Assert.Contains(naive, v => v != 0f);
        }
    }

    [Fact]
    public void MatVec_with_scalar_variant_matches_best_variant_within_summation_error()
    {
        const int rows = 40, cols = 1024;
        var rng = new Random(5);
        var w = KernelTestData.WeightRow(GgmlType.Q4_K, rows * cols, rng);
        var x = KernelTestData.Normals(cols, rng, 1f);
        var best = new float[rows];
        var scalar = new float[rows];
        using var pool = new WorkerPool(2);
        using var scratch = new MatMulScratch();
        fixed (byte* wp = w)
        {
            QuantizedMatMul.MatVec(pool, scratch, GgmlType.Q4_K, wp, rows, cols, x, best);
            QuantizedMatMul.Multiply(pool, scratch, GgmlType.Q4_K, wp, rows, cols, x, 1, scalar, KernelIsa.Scalar);
        }
        // the K-quant SIMD kernels reproduce the scalar float steps exactly
        Assert.Equal(scalar, best);
    }

    [Fact]
    public void MatMul_rejects_an_output_buffer_that_is_too_small()
    {
        var w = new byte[4 * 18 * 2];
        using var pool = new WorkerPool(1);
        using var scratch = new MatMulScratch();
        var ex = Assert.Throws<ArgumentException>(() =>
        {
            fixed (byte* wp = w)
                QuantizedMatMul.Multiply(pool, scratch, GgmlType.Q4_0, wp, 4, 64, new float[128], 2, new float[7]);
        });
        Assert.Contains("y holds 7", ex.Message);
    }
}
