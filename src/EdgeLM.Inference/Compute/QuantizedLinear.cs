using EdgeLM.Kernels.MatMul;
using EdgeLM.Kernels.Threading;

namespace EdgeLM.Inference.Compute;

/// <summary>
/// The fast matrix product, with llama.cpp's arithmetic: activations rounded to the weight type's paired
/// type (Q8_0, Q8_1, Q8_K, F16, BF16), integer SIMD dot products, rows shared over the worker pool.
/// </summary>
public sealed unsafe class QuantizedLinear(WorkerPool pool) : ILinear, IDisposable
{
    private readonly MatMulScratch _scratch = new();

    public WorkerPool Pool { get; } = pool;

    public void Apply(WeightMatrix w, float* x, int nTokens, float* y) =>
        QuantizedMatMul.Multiply(Pool, _scratch, w.Type, w.Data, w.Rows, w.Cols,
            new ReadOnlySpan<float>(x, nTokens * w.Cols), nTokens, new Span<float>(y, nTokens * w.Rows));

    public void Dispose() => _scratch.Dispose();
}
