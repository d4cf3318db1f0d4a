using System.Buffers;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using EdgeLM.Kernels.Dot;
using EdgeLM.Kernels.Threading;

namespace EdgeLM.Inference.Compute;

/// <summary>
/// Causal grouped-query attention over the KV cache, as llama.cpp's non-flash path computes it: kq = K·q,
/// softmax(kq·scale), out = V·p. With an F16 cache ggml rounds q and the probabilities to F16 before the dot
/// products (an F16 weight pairs with F16 activations), so we do too. Work items are (token, head) pairs, shared
/// over the worker pool; each item reads only its own token's slot and positions 0..pos.
/// </summary>
public static unsafe class Attention
{
    /// <summary>What one batch's attention needs, in native memory so pool threads can read it.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Job
    {
        public float* Q;           // tokens × heads × headDim
        public float* Output;      // tokens × heads × headDim
        public byte** KeyBase;     // per token: key row of position 0 of its slot (this layer)
        public byte** ValueBase;   // per token: value row of position 0 of its slot
        public int* Positions;     // per token
        public int Heads;
        public int HeadsKv;
        public int HeadDim;
        public int RowBytes;       // bytes between consecutive positions
        public int F16;            // 1 when the cache holds halves
    }

    /// <summary>Runs every (token, head) item of <paramref name="job"/>, on the pool when given.</summary>
    public static void Run(Job* job, int tokens, WorkerPool? pool)
    {
        int items = tokens * job->Heads;
        if (pool is null)
            Work((nint)job, 0, items);
        else
            pool.Run(&Work, (nint)job, items, 1);
    }

    private static void Work(nint context, int start, int end)
    {
        var job = (Job*)context;
        int hd = job->HeadDim;
        int group = job->Heads / job->HeadsKv;
        float scale = 1.0f / MathF.Sqrt(hd);
        bool f16 = job->F16 != 0;
        float* qh16 = stackalloc float[hd];
        float* row = stackalloc float[hd];
        // One scores buffer for the whole range (a stackalloc inside the loop would grow the stack per item).
        int maxN = 0;
        for (int item = start; item < end; item++)
            maxN = Math.Max(maxN, job->Positions[item / job->Heads] + 1);
        float[]? rented = maxN > 8192 ? ArrayPool<float>.Shared.Rent(maxN) : null;
        Span<float> scoreBuffer = rented is null ? stackalloc float[maxN] : rented.AsSpan(0, maxN);
        for (int item = start; item < end; item++)
        {
            int t = item / job->Heads, h = item % job->Heads;
            int n = job->Positions[t] + 1;
            int kvh = h / group;
            float* q = job->Q + ((long)t * job->Heads + h) * hd;
            float* o = job->Output + ((long)t * job->Heads + h) * hd;
            byte* kBase = job->KeyBase[t] + kvh * hd * (f16 ? 2 : 4);
            byte* vBase = job->ValueBase[t] + kvh * hd * (f16 ? 2 : 4);
            var qs = new ReadOnlySpan<float>(q, hd);
            if (f16)
            {
                for (int d = 0; d < hd; d++)
                    qh16[d] = (float)(Half)q[d];
                qs = new ReadOnlySpan<float>(qh16, hd);
            }
            var scores = scoreBuffer[..n];
            if (f16 && Vector512.IsHardwareAccelerated && hd % 32 == 0)
            {
                fixed (float* sp = scores)
                    HalfRowsAttention(qh16, kBase, vBase, job->RowBytes, n, hd, scale, sp, o);
                continue;
            }
            var rowSpan = new Span<float>(row, hd);
            for (int j = 0; j < n; j++)
            {
                byte* k = kBase + (long)j * job->RowBytes;
                float s;
                if (f16)
                {
                    TensorPrimitives.ConvertToSingle(new ReadOnlySpan<Half>(k, hd), rowSpan);
                    s = TensorPrimitives.Dot(qs, rowSpan);
                }
                else
                    s = TensorPrimitives.Dot(qs, new ReadOnlySpan<float>(k, hd));
                scores[j] = s * scale;
            }
            fixed (float* sp = scores)
                VectorOps.Softmax(sp, n);
            var os = new Span<float>(o, hd);
            os.Clear();
            for (int j = 0; j < n; j++)
            {
                byte* v = vBase + (long)j * job->RowBytes;
                if (f16)
                {
                    float p = (float)(Half)scores[j];
                    TensorPrimitives.ConvertToSingle(new ReadOnlySpan<Half>(v, hd), rowSpan);
                    TensorPrimitives.MultiplyAdd(rowSpan, p, os, os);
                }
                else
                    TensorPrimitives.MultiplyAdd(new ReadOnlySpan<float>(v, hd), scores[j], os, os);
            }
        }
        if (rented is not null)
            ArrayPool<float>.Shared.Return(rented);
    }

    /// <summary>
    /// One (token, head) item over an F16 cache with 512-bit vectors: each key row widened in registers (no copy to a
    /// float row) and dotted with the half-rounded q; softmax; then out = Σ_j half(p_j)·v_j accumulated in registers
    /// 16 dimensions at a time. Same roundings as the portable path (q and p rounded to half, exact half widening).
    /// </summary>
    private static void HalfRowsAttention(float* q, byte* kBase, byte* vBase, int rowBytes, int n, int hd, float scale,
        float* scores, float* o)
    {
        byte* k = kBase;
        for (int j = 0; j < n; j++, k += rowBytes)
        {
            var acc = Vector512<float>.Zero;
            for (int d = 0; d < hd; d += 32)
            {
                var h = Vector512.Load((ushort*)k + d);
                acc = Vector512.FusedMultiplyAdd(HalfVectors.ToSingle(Vector512.WidenLower(h)), Vector512.Load(q + d), acc);
                acc = Vector512.FusedMultiplyAdd(HalfVectors.ToSingle(Vector512.WidenUpper(h)), Vector512.Load(q + d + 16), acc);
            }
            scores[j] = Vector512.Sum(acc) * scale;
        }
        VectorOps.Softmax(scores, n);
        for (int j = 0; j < n; j++)
            scores[j] = (float)(Half)scores[j];
        for (int d = 0; d < hd; d += 32)
        {
            var lo = Vector512<float>.Zero;
            var hi = Vector512<float>.Zero;
            byte* v = vBase + 2 * d;
            for (int j = 0; j < n; j++, v += rowBytes)
            {
                var h = Vector512.Load((ushort*)v);
                var p = Vector512.Create(scores[j]);
                lo = Vector512.FusedMultiplyAdd(HalfVectors.ToSingle(Vector512.WidenLower(h)), p, lo);
                hi = Vector512.FusedMultiplyAdd(HalfVectors.ToSingle(Vector512.WidenUpper(h)), p, hi);
            }
            lo.Store(o + d);
            hi.Store(o + d + 16);
        }
    }

    /// <summary>Writes a token's key and value rows (kvDim floats each) into the cache, rounding to F16 if needed.</summary>
    public static void Store(KvCache cache, int layer, int slot, int position, float* k, float* v)
    {
        int n = cache.KvDim;
        if (cache.Type == KvCacheType.F16)
        {
            TensorPrimitives.ConvertToHalf(new ReadOnlySpan<float>(k, n), new Span<Half>(cache.Key(layer, slot, position), n));
            TensorPrimitives.ConvertToHalf(new ReadOnlySpan<float>(v, n), new Span<Half>(cache.Value(layer, slot, position), n));
        }
        else
        {
            new ReadOnlySpan<float>(k, n).CopyTo(new Span<float>(cache.Key(layer, slot, position), n));
            new ReadOnlySpan<float>(v, n).CopyTo(new Span<float>(cache.Value(layer, slot, position), n));
        }
    }
}
