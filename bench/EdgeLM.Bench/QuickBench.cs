using System.Diagnostics;
using System.Runtime.InteropServices;
using EdgeLM.Gguf;
using EdgeLM.Kernels.Cpu;
using EdgeLM.Kernels.MatMul;
using EdgeLM.Kernels.Threading;

namespace EdgeLM.Bench;

/// <summary>
/// `-- quick [ROWS] [THREADS] [TOKENS] [TYPES]`: a Stopwatch loop that reports the fastest of many matrix products per type
/// (robust when other processes load the machine, unlike a mean), best variant against plain AVX2, for comparing
/// kernel variants during development. TOKENS = 1 (default) is matrix × vector; more is prompt-style batching.
/// TYPES: comma-separated ggml types (default: ten common ones).
/// </summary>
internal static unsafe class QuickBench
{
    public static void Run(string[] args)
    {
        int rows = args.Length > 1 ? int.Parse(args[1]) : 2048;
        int threads = args.Length > 2 ? int.Parse(args[2]) : 1;
        int tokens = args.Length > 3 ? int.Parse(args[3]) : 1;
        const int cols = MatVecBenchmarks.Cols;
        Console.WriteLine($"{rows}x{cols} × {tokens} token(s), {threads} thread(s), best of 200 after 0.5 s warm-up; isa {CpuCapabilities.Best}");
        using var pool = new WorkerPool(threads);
        using var scratch = new MatMulScratch(1 << 16);
        var x = new float[cols * tokens];
        new Random(1).NextBytes(MemoryMarshal.AsBytes(x.AsSpan()));
        for (int i = 0; i < x.Length; i++) x[i] = (i % 17 - 8) * 0.1f;
        var y = new float[rows * tokens];
        var types = args.Length > 4
            ? args[4].Split(',').Select(Enum.Parse<GgmlType>).ToArray()
            : [GgmlType.Q4_0, GgmlType.Q4_1, GgmlType.Q5_0, GgmlType.Q8_0, GgmlType.Q2_K, GgmlType.Q3_K, GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K, GgmlType.F16];
        foreach (var type in types)
            foreach (var isa in new[] { CpuCapabilities.Best, KernelIsa.Avx2 })
            {
                byte* w = WeightBuffers.Allocate(type, rows, cols, 3, out long bytes);
                // warm up for 0.5 s so tiered compilation has replaced the Tier-0 code before timing
                long warmUntil = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 2;
                while (Stopwatch.GetTimestamp() < warmUntil)
                    QuantizedMatMul.Multiply(pool, scratch, type, w, rows, cols, x, tokens, y, isa);
                long best = long.MaxValue;
                for (int rep = 0; rep < 200; rep++)
                {
                    long t0 = Stopwatch.GetTimestamp();
                    QuantizedMatMul.Multiply(pool, scratch, type, w, rows, cols, x, tokens, y, isa);
                    best = Math.Min(best, Stopwatch.GetTimestamp() - t0);
                }
                double s = best / (double)Stopwatch.Frequency;
                Console.WriteLine($"{type,-5} {isa,-9} {s * 1e6,9:F1} us  {bytes / s / 1e9,6:F1} GB/s  {2.0 * rows * cols * tokens / s / 1e9,7:F1} GOPS");
                NativeMemory.AlignedFree(w);
            }
    }
}
