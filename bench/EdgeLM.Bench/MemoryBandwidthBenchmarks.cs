using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using EdgeLM.Kernels.Threading;

namespace EdgeLM.Bench;

/// <summary>
/// This machine's read bandwidth: summing a 512 MB array (far beyond the caches) with 256-bit loads and four
/// accumulators, split over 1 or 2 threads with the same worker pool the matmul uses. The ceiling for
/// <see cref="StreamedMatVecBenchmarks"/>.
/// </summary>
public unsafe class MemoryBandwidthBenchmarks
{
    private float* _data;
    private long _floats;
    private WorkerPool? _pool;
    private readonly double[] _partials = new double[64];

    [Params(512)]
    public int Megabytes { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        long bytes = (long)Megabytes << 20;
        _floats = bytes / 4;
        _data = (float*)NativeMemory.AlignedAlloc((nuint)bytes, 64);
        new Span<byte>(_data, 1 << 20).Fill(1);
        for (long i = 0; i < _floats; i += 1024)
            _data[i] = 1f;
        _pool = new WorkerPool(Threads);
    }

    private struct Job
    {
        public float* Data;
        public long FloatsPerChunk;
        public double* Partials;
    }

    private static void SumChunks(nint context, int start, int end)
    {
        ref Job job = ref *(Job*)context;
        for (int c = start; c < end; c++)
        {
            float* p = job.Data + c * job.FloatsPerChunk;
            Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
            for (long i = 0; i < job.FloatsPerChunk; i += 32)
            {
                a0 += Vector256.Load(p + i);
                a1 += Vector256.Load(p + i + 8);
                a2 += Vector256.Load(p + i + 16);
                a3 += Vector256.Load(p + i + 24);
            }
            job.Partials[c] = Vector256.Sum((a0 + a1) + (a2 + a3));
        }
    }

    [Benchmark]
    public double ReadArray()
    {
        const int chunks = 64;
        fixed (double* partials = _partials)
        {
            var job = new Job { Data = _data, FloatsPerChunk = _floats / chunks, Partials = partials };
            _pool!.Run(&SumChunks, (nint)(&job), chunks, 1);
        }
        return _partials.Sum();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        NativeMemory.AlignedFree(_data);
        _pool?.Dispose();
    }
}
