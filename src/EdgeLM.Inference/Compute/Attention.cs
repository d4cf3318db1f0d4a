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

    /// <summary>
    /// Runs every (token, KV head) item of <paramref name="job"/>, on the pool when given; an item computes the
    /// query heads that share its KV head, so each cached row is read (and widened) once for all of them.
    /// </summary>
    public static void Run(Job* job, int tokens, WorkerPool? pool)
    {
        int items = tokens * job->HeadsKv;
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
        bool wide = f16 && Vector512.IsHardwareAccelerated && hd % 32 == 0;
        float* qh16 = stackalloc float[group * hd];
        float* row = stackalloc float[hd];
        // One scores buffer for the whole range (a stackalloc inside the loop would grow the stack per item).
        int maxN = 0;
        for (int item = start; item < end; item++)
            maxN = Math.Max(maxN, job->Positions[item / job->HeadsKv] + 1);
        long need = (long)group * maxN;
        float[]? rented = need > 8192 ? ArrayPool<float>.Shared.Rent((int)need) : null;
        Span<float> scoreBuffer = rented is null ? stackalloc float[(int)need] : rented.AsSpan(0, (int)need);
        for (int item = start; item < end; item++)
        {
            int t = item / job->HeadsKv, kvh = item % job->HeadsKv;
            int n = job->Positions[t] + 1;
            byte* kBase = job->KeyBase[t] + kvh * hd * (f16 ? 2 : 4);
            byte* vBase = job->ValueBase[t] + kvh * hd * (f16 ? 2 : 4);
            float* q0 = job->Q + ((long)t * job->Heads + kvh * group) * hd;
            float* o0 = job->Output + ((long)t * job->Heads + kvh * group) * hd;
            if (wide)
            {
                for (int i = 0; i < group * hd; i++)
                    qh16[i] = (float)(Half)q0[i];
                fixed (float* sp = scoreBuffer)
                    HalfRowsAttention(qh16, group, kBase, vBase, job->RowBytes, n, hd, scale, sp, row, o0);
                continue;
            }
            for (int g = 0; g < group; g++)
                OneHead(q0 + g * hd, o0 + g * hd, kBase, vBase, job->RowBytes, n, hd, scale, f16, qh16, row, scoreBuffer[..n]);
        }
        if (rented is not null)
            ArrayPool<float>.Shared.Return(rented);
    }

    /// <summary>The portable path: one query head, rows widened into <paramref name="row"/> one at a time.</summary>
    private static void OneHead(float* q, float* o, byte* kBase, byte* vBase, int rowBytes, int n, int hd, float scale,
        bool f16, float* qh16, float* row, Span<float> scores)
    {
        var qs = new ReadOnlySpan<float>(q, hd);
        if (f16)
        {
            for (int d = 0; d < hd; d++)
                qh16[d] = (float)(Half)q[d];
            qs = new ReadOnlySpan<float>(qh16, hd);
        }
        var rowSpan = new Span<float>(row, hd);
        for (int j = 0; j < n; j++)
        {
            byte* k = kBase + (long)j * rowBytes;
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
            byte* v = vBase + (long)j * rowBytes;
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

    /// <summary>
    /// The <paramref name="group"/> query heads of one KV head over an F16 cache with 512-bit vectors: each key and
    /// value row is widened once into <paramref name="row"/> and used by every head; dots and the p·v sums are
    /// FMAs. Same roundings as the portable path (q and p rounded to half, exact half widening).
    /// </summary>
    private static void HalfRowsAttention(float* q, int group, byte* kBase, byte* vBase, int rowBytes, int n, int hd,
        float scale, float* scores, float* row, float* o)
    {
        byte* k = kBase;
        for (int j = 0; j < n; j++, k += rowBytes)
        {
            Widen(k, row, hd);
            for (int g = 0; g < group; g++)
            {
                float* qg = q + g * hd;
                var acc = Vector512<float>.Zero;
                for (int d = 0; d < hd; d += 16)
                    acc = Vector512.FusedMultiplyAdd(Vector512.Load(row + d), Vector512.Load(qg + d), acc);
                scores[g * n + j] = Vector512.Sum(acc) * scale;
            }
        }
        for (int g = 0; g < group; g++)
        {
            float* sg = scores + g * n;
            VectorOps.Softmax(sg, n);
            for (int j = 0; j < n; j++)
                sg[j] = (float)(Half)sg[j];
        }
        new Span<float>(o, group * hd).Clear();
        byte* v = vBase;
        for (int j = 0; j < n; j++, v += rowBytes)
        {
            Widen(v, row, hd);
            for (int g = 0; g < group; g++)
            {
                var p = Vector512.Create(scores[g * n + j]);
                float* og = o + g * hd;
                for (int d = 0; d < hd; d += 16)
                    Vector512.FusedMultiplyAdd(Vector512.Load(row + d), p, Vector512.Load(og + d)).Store(og + d);
            }
        }
    }

    /// <summary>hd halves at <paramref name="h"/> widened exactly into floats at <paramref name="f"/> (hd a multiple of 32).</summary>
    private static void Widen(byte* h, float* f, int hd)
    {
        for (int d = 0; d < hd; d += 32)
        {
            var v = Vector512.Load((ushort*)h + d);
            HalfVectors.ToSingle(Vector512.WidenLower(v)).Store(f + d);
            HalfVectors.ToSingle(Vector512.WidenUpper(v)).Store(f + d + 16);
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
