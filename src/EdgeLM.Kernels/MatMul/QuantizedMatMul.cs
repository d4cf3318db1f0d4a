using System.Runtime.Intrinsics;
using EdgeLM.Gguf;
using EdgeLM.Kernels.Activations;
using EdgeLM.Kernels.Cpu;
using EdgeLM.Kernels.Dot;
using EdgeLM.Kernels.Threading;

namespace EdgeLM.Kernels.MatMul;

/// <summary>
/// y[t][r] = dot(W row r, x[t]) for a weight matrix of <c>rows</c> rows of <c>cols</c> values stored in a ggml type
/// (memory-mapped, read in place). The activations are quantized once per call to the weight type's paired type,
/// then row ranges are shared out over the <see cref="WorkerPool"/>. Where the CPU has VNNI, Q4_0, Q8_0, Q4_K and
/// Q6_K go through the 8-row kernels (<see cref="VnniRows8"/>: 8 rows × up to 4 tokens per call, weights read in place,
/// no repacking); other types and CPUs take each row with the row kernel, rows in tiles of <see cref="RowTile"/>
/// used for <see cref="TokenTile"/> tokens while they are in L1. Either way every output equals the row kernel's.
/// </summary>
public static unsafe class QuantizedMatMul
{
    /// <summary>Rows per tile (and the smallest chunk handed to a thread).</summary>
    public const int RowTile = 16;

    /// <summary>Tokens a row is reused for before the next row tile; their activations stay in L2.</summary>
    public const int TokenTile = 32;

    /// <summary>
    /// Tokens per tile on the 8-row path: 16 tokens' Q8_0 activations (35 KiB for 2048 columns) stay close to L1
    /// while a thread's rows (in L2) pass by; measured best of 8/16/32/64 with bench/EdgeLM.Bench `quick`.
    /// </summary>
    public const int Rows8TokenTile = 16;

    private struct Job
    {
        public delegate*<byte*, byte*, int, float> Kernel;
        public nint OffsetU;
        public byte* Weights;
        public long WeightRowBytes;
        public byte* Activations;
        public int ActivationRowBytes;
        public int Rows;
        public int Cols;
        public int Tokens;
        public float* Y;
        public GgmlType ActivationType;
        public float* X;
        public KernelIsa Isa;
        public Rows8Kernels Rows8;
        public float* Dy;
        public int* Sy;
        public int Blocks;
    }

    /// <summary>Matrix × vector: y[r] = dot(W row r, x), x of length cols, y of length rows.</summary>
    public static void MatVec(WorkerPool pool, MatMulScratch scratch, GgmlType weightType, byte* weights, int rows, int cols,
        ReadOnlySpan<float> x, Span<float> y) =>
        Multiply(pool, scratch, weightType, weights, rows, cols, x, 1, y, CpuCapabilities.Best);

    /// <summary>Matrix × matrix with the best kernels for this CPU; see the overload with a variant.</summary>
    public static void Multiply(WorkerPool pool, MatMulScratch scratch, GgmlType weightType, byte* weights, int rows, int cols,
        ReadOnlySpan<float> x, int nTokens, Span<float> y) =>
        Multiply(pool, scratch, weightType, weights, rows, cols, x, nTokens, y, CpuCapabilities.Best);

    /// <summary>
    /// Matrix × matrix: x holds <paramref name="nTokens"/> rows of <paramref name="cols"/> floats, y receives
    /// nTokens rows of <paramref name="rows"/> floats (y[t·rows + r]).
    /// </summary>
    public static void Multiply(WorkerPool pool, MatMulScratch scratch, GgmlType weightType, byte* weights, int rows, int cols,
        ReadOnlySpan<float> x, int nTokens, Span<float> y, KernelIsa isa)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(scratch);
        if (weights == null)
            throw new ArgumentNullException(nameof(weights));
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(cols, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(nTokens);
        long weightRowBytes = GgmlTypes.Info(weightType).RowBytes(cols);
        if (weightRowBytes < 0)
            throw new ArgumentException($"{cols} columns are not a whole number of {weightType} blocks", nameof(cols));
        if (x.Length < (long)nTokens * cols)
            throw new ArgumentException($"x holds {x.Length} floats, {nTokens} tokens × {cols} columns need {(long)nTokens * cols}", nameof(x));
        if (y.Length < (long)nTokens * rows)
            throw new ArgumentException($"y holds {y.Length} floats, {nTokens} tokens × {rows} rows need {(long)nTokens * rows}", nameof(y));
        if (rows == 0 || nTokens == 0)
            return;

        var activationType = ActivationQuantizer.PairedType(weightType);
        int aRowBytes = ActivationQuantizer.QuantizedRowBytes(activationType, cols);
        var rows8 = 7 * weightRowBytes <= int.MaxValue ? VecDot.Rows8(weightType, isa) : default;
        long aBytes = (long)aRowBytes * nTokens;
        // for 8-row kernels that take unsigned activations, a second copy with y + 128 as unsigned bytes follows the first
        bool offsetCopy = rows8.UnsignedActivations;
        // the 8-row kernels read each Q8_0 block's d as float and its Σy from two side arrays after the activations
        int blocks = cols / 32;
        long sideBytes = rows8.Q8_0Side ? 8L * blocks * nTokens : 0;
        long quantBytes = offsetCopy ? 2 * aBytes : aBytes;
        byte* a = scratch.Reserve(quantBytes + sideBytes);
        fixed (float* xp = x)
        fixed (float* yp = y)
        {
            var job = new Job
            {
                Kernel = VecDot.Kernel(weightType, isa),
                OffsetU = offsetCopy ? (nint)aBytes : 0,
                Weights = weights,
                WeightRowBytes = weightRowBytes,
                Activations = a,
                ActivationRowBytes = aRowBytes,
                Rows = rows,
                Cols = cols,
                Tokens = nTokens,
                Y = yp,
                ActivationType = activationType,
                X = xp,
                Isa = isa,
                Rows8 = rows8,
                Dy = rows8.Q8_0Side ? (float*)(a + quantBytes) : null,
                Sy = rows8.Q8_0Side ? (int*)(a + quantBytes + 4L * blocks * nTokens) : null,
                Blocks = blocks,
            };
            // the job lives on this stack frame: Run returns only after every thread finished with it
            if (nTokens >= 4)
                pool.Run(&QuantizeTokens, (nint)(&job), nTokens, 1);
            else
                QuantizeTokens((nint)(&job), 0, nTokens);
            int grain = Math.Max(RowTile, rows / (pool.ThreadCount * 8) / RowTile * RowTile);
            pool.Run(&MultiplyRows, (nint)(&job), rows, grain);
        }
    }

    private static void QuantizeTokens(nint context, int start, int end)
    {
        ref Job job = ref *(Job*)context;
        for (int t = start; t < end; t++)
            ActivationQuantizer.Quantize(job.ActivationType, new ReadOnlySpan<float>(job.X + (long)t * job.Cols, job.Cols),
                new Span<byte>(job.Activations + (long)t * job.ActivationRowBytes, job.ActivationRowBytes), job.Isa);
        if (job.Dy != null)
            for (int t = start; t < end; t++)
                Q8_0Side.Fill(job.Activations + (long)t * job.ActivationRowBytes, job.Blocks,
                    job.Dy + (long)t * job.Blocks, job.Sy + (long)t * job.Blocks);
        if (job.OffsetU != 0)
        {
            // Q8_0 blocks (half d, 32 int8) copied with the int8 flipped to unsigned y + 128
            byte* src = job.Activations + (long)start * job.ActivationRowBytes;
            byte* dst = src + job.OffsetU;
            long blocks = (long)(end - start) * job.ActivationRowBytes / 34;
            var flip = Vector256.Create((byte)0x80);
            for (long i = 0; i < blocks; i++, src += 34, dst += 34)
            {
                *(ushort*)dst = *(ushort*)src;
                Vector256.Store(Vector256.Load(src + 2) ^ flip, dst + 2);
            }
        }
    }

    private static void MultiplyRows(nint context, int start, int end)
    {
        ref Job job = ref *(Job*)context;
        var kernel = job.Kernel;
        int cols = job.Cols, rows = job.Rows, tokens = job.Tokens;
        if (!job.Rows8.IsEmpty)
        {
            MultiplyRows8(ref job, start, end);
            return;
        }
        if (tokens == 1)
        {
            byte* w = job.Weights + start * job.WeightRowBytes;
            for (int r = start; r < end; r++, w += job.WeightRowBytes)
                job.Y[r] = kernel(w, job.Activations, cols);
            return;
        }
        for (int r0 = start; r0 < end; r0 += RowTile)
        {
            int r1 = Math.Min(r0 + RowTile, end);
            for (int t0 = 0; t0 < tokens; t0 += TokenTile)
            {
                int t1 = Math.Min(t0 + TokenTile, tokens);
                for (int r = r0; r < r1; r++)
                {
                    byte* w = job.Weights + r * job.WeightRowBytes;
                    byte* a = job.Activations + (long)t0 * job.ActivationRowBytes;
                    for (int t = t0; t < t1; t++, a += job.ActivationRowBytes)
                        job.Y[(long)t * rows + r] = kernel(w, a, cols);
                }
            }
        }
    }

    /// <summary>
    /// 8 rows × up to <see cref="Rows8Kernels.MaxTokens"/> tokens per kernel call, token tiles of <see cref="Rows8TokenTile"/> outside so a thread's rows
    /// stay in L2 while a tile's activations are reused by all of them; rows past the last multiple of 8 by the row kernel.
    /// </summary>
    private static void MultiplyRows8(ref Job job, int start, int end)
    {
        var k = job.Rows8;
        byte* acts = job.Activations + (k.UnsignedActivations ? job.OffsetU : 0);
        int cols = job.Cols, rows = job.Rows, tokens = job.Tokens, aRow = job.ActivationRowBytes, nb = job.Blocks;
        long wRow = job.WeightRowBytes;
        int end8 = start + (end - start) / 8 * 8;
        const int tile = Rows8TokenTile;
        for (int t0 = 0; t0 < tokens; t0 += tile)
        {
            int t1 = Math.Min(t0 + tile, tokens);
            for (int r = start; r < end8; r += 8)
            {
                byte* w = job.Weights + r * wRow;
                for (int t = t0; t < t1;)
                {
                    int width = Math.Min(k.MaxTokens, t1 - t);
                    k.Width(width)(w, wRow, acts + (long)t * aRow, aRow, job.Dy + (long)t * nb, job.Sy + (long)t * nb, nb, cols, job.Y + (long)t * rows + r, rows);
                    t += width;
                }
            }
        }
        for (int r = end8; r < end; r++)
        {
            byte* w = job.Weights + r * wRow;
            for (int t = 0; t < tokens; t++)
                job.Y[(long)t * rows + r] = job.Kernel(w, job.Activations + (long)t * aRow, cols);
        }
    }
}
