using System.Runtime.InteropServices;

namespace EdgeLM.Inference;

/// <summary>Element type of the KV cache. F16 halves its memory (llama.cpp's default); F32 is exact.</summary>
public enum KvCacheType
{
    F16,
    F32,
}

/// <summary>
/// Keys and values for every layer, position and sequence slot: per layer one block of
/// [slot][position][kv_dim] values. Native memory, allocated once, never moved.
/// </summary>
public sealed unsafe class KvCache : IDisposable
{
    private byte* _memory;

    public KvCache(int layers, int slots, int contextLength, int kvDim, KvCacheType type)
    {
        if (layers <= 0 || slots <= 0 || contextLength <= 0 || kvDim <= 0)
            throw new ArgumentOutOfRangeException(nameof(contextLength), "KV cache dimensions must be positive");
        Layers = layers;
        Slots = slots;
        ContextLength = contextLength;
        KvDim = kvDim;
        Type = type;
        ElementBytes = type == KvCacheType.F16 ? 2 : 4;
        LayerBytes = (long)slots * contextLength * kvDim * ElementBytes;
        TotalBytes = 2 * LayerBytes * layers;
        _memory = (byte*)NativeMemory.AlignedAlloc((nuint)TotalBytes, 64);
        SlotLengths = new int[slots];
    }

    public int Layers { get; }
    public int Slots { get; }
    public int ContextLength { get; }
    public int KvDim { get; }
    public KvCacheType Type { get; }
    public int ElementBytes { get; }
    public long LayerBytes { get; }
    public long TotalBytes { get; }

    /// <summary>How many positions of each slot hold valid entries.</summary>
    public int[] SlotLengths { get; }

    /// <summary>Bytes a cache of this shape needs, for memory estimates before loading.</summary>
    public static long BytesFor(int layers, int slots, int contextLength, int kvDim, KvCacheType type) =>
        2L * layers * slots * contextLength * kvDim * (type == KvCacheType.F16 ? 2 : 4);

    /// <summary>Start of the key row of (layer, slot, position).</summary>
    public byte* Key(int layer, int slot, int position) => _memory + 2 * layer * LayerBytes + Offset(slot, position);

    /// <summary>Start of the value row of (layer, slot, position).</summary>
    public byte* Value(int layer, int slot, int position) => _memory + (2 * layer + 1) * LayerBytes + Offset(slot, position);

    private long Offset(int slot, int position) => ((long)slot * ContextLength + position) * KvDim * ElementBytes;

    public void Dispose()
    {
        if (_memory == null)
            return;
        NativeMemory.AlignedFree(_memory);
        _memory = null;
    }
}
