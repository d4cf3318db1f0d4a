using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using EdgeLM.Gguf;
using EdgeLM.Kernels.MatMul;
using EdgeLM.Kernels.Threading;

namespace EdgeLM.Bench;

/// <summary>
/// Token-generation conditions: each operation multiplies the next of several 8192×2048 matrices (together
/// ≥ 256 MB, far more than any cache), so the weights really come from DRAM as in a model's forward pass.
/// </summary>
public unsafe class StreamedMatVecBenchmarks
{
    private const int Cols = MatVecBenchmarks.Cols;
    private byte*[] _weights = [];
    private int _next;
    private float[] _x = [];
    private float[] _y = [];
    private WorkerPool? _pool;
    private MatMulScratch? _scratch;

    [Params(GgmlType.Q4_0, GgmlType.Q4_K, GgmlType.Q6_K, GgmlType.Q8_0, GgmlType.F16)]
    public GgmlType Type { get; set; }

    [Params(8192)]
    public int Rows { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        long bytes = Rows * GgmlTypes.Info(Type).RowBytes(Cols);
        int copies = (int)Math.Max(4, (256L << 20) / bytes + 1);
        _weights = new byte*[copies];
        for (int i = 0; i < copies; i++)
            _weights[i] = WeightBuffers.Allocate(Type, Rows, Cols, 42 + i, out _);
        var rng = new Random(7);
        _x = Enumerable.Range(0, Cols).Select(_ => rng.NextSingle() * 2 - 1).ToArray();
        _y = new float[Rows];
        _pool = new WorkerPool(Threads);
        _scratch = new MatMulScratch(1 << 16);
    }

    [Benchmark]
    public void MatVecFromDram()
    {
        byte* w = _weights[_next];
        _next = _next + 1 == _weights.Length ? 0 : _next + 1;
        QuantizedMatMul.MatVec(_pool!, _scratch!, Type, w, Rows, Cols, _x, _y);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        foreach (var w in _weights)
            NativeMemory.AlignedFree(w);
        _pool?.Dispose();
        _scratch?.Dispose();
    }
}
