namespace EdgeLM.Inference.Compute;

/// <summary>
/// Causal grouped-query attention of one token over its sequence's cached keys and values, as llama.cpp's
/// non-flash path computes it: kq = K·q, softmax(kq·scale), out = V·p. With an F16 cache ggml rounds q and the
/// probabilities to F16 before the dot products (the F16 weight pairs with F16 activations), so we do too.
/// </summary>
public static unsafe class Attention
{
    /// <param name="q">the token's query, heads × headDim</param>
    /// <param name="cache">cache holding this token's own key/value already</param>
    /// <param name="scores">scratch of at least position + 1 floats</param>
    /// <param name="output">heads × headDim</param>
    public static void Compute(float* q, KvCache cache, int layer, int slot, int position, int heads, int headsKv,
        int headDim, float* scores, float* output, int headStart = 0, int headEnd = -1)
    {
        if (headEnd < 0) headEnd = heads;
        int group = heads / headsKv;
        int n = position + 1;
        float scale = 1.0f / MathF.Sqrt(headDim);
        bool f16 = cache.Type == KvCacheType.F16;
        float* qh16 = stackalloc float[headDim];
        for (int h = headStart; h < headEnd; h++)
        {
            int kvh = h / group;
            float* qh = q + h * headDim;
            if (f16)
            {
                for (int d = 0; d < headDim; d++)
                    qh16[d] = (float)(Half)qh[d];
                qh = qh16;
            }
            for (int j = 0; j < n; j++)
            {
                float s = 0;
                if (f16)
                {
                    Half* k = (Half*)cache.Key(layer, slot, j) + kvh * headDim;
                    for (int d = 0; d < headDim; d++)
                        s += qh[d] * (float)k[d];
                }
                else
                {
                    float* k = (float*)cache.Key(layer, slot, j) + kvh * headDim;
                    for (int d = 0; d < headDim; d++)
                        s += qh[d] * k[d];
                }
                scores[j] = s * scale;
            }
            VectorOps.Softmax(scores, n);
            float* o = output + h * headDim;
            new Span<float>(o, headDim).Clear();
            for (int j = 0; j < n; j++)
            {
                if (f16)
                {
                    float p = (float)(Half)scores[j];
                    Half* v = (Half*)cache.Value(layer, slot, j) + kvh * headDim;
                    for (int d = 0; d < headDim; d++)
                        o[d] += p * (float)v[d];
                }
                else
                {
                    float p = scores[j];
                    float* v = (float*)cache.Value(layer, slot, j) + kvh * headDim;
                    for (int d = 0; d < headDim; d++)
                        o[d] += p * v[d];
                }
            }
        }
    }

    /// <summary>Writes a token's key and value rows (kvDim floats each) into the cache, rounding to F16 if needed.</summary>
    public static void Store(KvCache cache, int layer, int slot, int position, float* k, float* v)
    {
        int n = cache.KvDim;
        if (cache.Type == KvCacheType.F16)
        {
            Half* kd = (Half*)cache.Key(layer, slot, position), vd = (Half*)cache.Value(layer, slot, position);
            for (int i = 0; i < n; i++)
            {
                kd[i] = (Half)k[i];
                vd[i] = (Half)v[i];
            }
        }
        else
        {
            new ReadOnlySpan<float>(k, n).CopyTo(new Span<float>(cache.Key(layer, slot, position), n));
            new ReadOnlySpan<float>(v, n).CopyTo(new Span<float>(cache.Value(layer, slot, position), n));
        }
    }
}
