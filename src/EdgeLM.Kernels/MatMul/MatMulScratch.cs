using System.Runtime.InteropServices;

namespace EdgeLM.Kernels.MatMul;

/// <summary>
/// Reusable, 64-byte aligned native buffer for quantized activations, owned by a session so the matmul hot path
/// allocates nothing once it has grown to the largest call. Not thread-safe: one matmul at a time per scratch.
/// </summary>
public sealed unsafe class MatMulScratch : IDisposable
{
    private byte* _buffer;
    private long _capacity;
    private bool _disposed;

    public MatMulScratch(long initialBytes = 0)
    {
        if (initialBytes > 0)
            Reserve(initialBytes);
    }

    /// <summary>Bytes currently held.</summary>
    public long Capacity => _capacity;

    /// <summary>A buffer of at least <paramref name="bytes"/> bytes (contents undefined); grows when needed.</summary>
    public byte* Reserve(long bytes)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (bytes > _capacity)
        {
            Free();
            _buffer = (byte*)NativeMemory.AlignedAlloc((nuint)bytes, 64);
            _capacity = bytes;
        }
        return _buffer;
    }

    private void Free()
    {
        if (_buffer != null)
            NativeMemory.AlignedFree(_buffer);
        _buffer = null;
        _capacity = 0;
    }

    public void Dispose()
    {
        Free();
        _disposed = true;
        GC.SuppressFinalize(this);
    }

    ~MatMulScratch() => Free();
}
