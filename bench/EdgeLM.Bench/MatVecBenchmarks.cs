using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using EdgeLM.Gguf;
using EdgeLM.Kernels.MatMul;
using EdgeLM.Kernels.Threading;

namespace EdgeLM.Bench;

/// <summary>
/// Matrix × vector (one token), rows × 2048 columns, including the activation quantization, on 1 or 2 threads.
/// These matrices (2.4 to 34 MB) are read repeatedly and may partly stay in the L3 cache.
/// </summary>
public unsafe class MatVecBenchmarks
{
    public const int Cols = 2048;

    private byte* _weights;
    private float[] _x = [];
    private float[] _y = [];
    private WorkerPool? _pool;
    private MatMulScratch? _scratch;

    [Params(GgmlType.Q4_0, GgmlType.Q4_K, GgmlType.Q6_K, GgmlType.Q8_0, GgmlType.F16)]
    public GgmlType Type { get; set; }

    [Params(2048, 8192)]
    public int Rows { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _weights = WeightBuffers.Allocate(Type, Rows, Cols, 42, out _);
        var rng = new Random(7);
        _x = Enumerable.Range(0, Cols).Select(_ => rng.NextSingle() * 2 - 1).ToArray();
        _y = new float[Rows];
        _pool = new WorkerPool(Threads);
        _scratch = new MatMulScratch(1 << 16);
    }

    [Benchmark]
    public void MatVec() => QuantizedMatMul.MatVec(_pool!, _scratch!, Type, _weights, Rows, Cols, _x, _y);

    [GlobalCleanup]
    public void Cleanup()
    {
        NativeMemory.AlignedFree(_weights);
        _pool?.Dispose();
        _scratch?.Dispose();
    }
}
