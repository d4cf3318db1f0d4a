using System.Runtime.CompilerServices;

namespace EdgeLM.Kernels.Formats;

// Fixed-size byte arrays embedded in the block structs. ggml's blocks are packed C structs whose
// arrays sit inline (ggml-common.h); [InlineArray] reproduces that without unsafe fixed buffers,
// so the structs can stay readonly and be reinterpreted straight from mapped tensor bytes.

[InlineArray(4)]
public struct Bytes4
{
    private byte _element;
}

[InlineArray(12)]
public struct Bytes12
{
    private byte _element;
}

[InlineArray(16)]
public struct Bytes16
{
    private byte _element;
}

[InlineArray(32)]
public struct Bytes32
{
    private byte _element;
}

[InlineArray(64)]
public struct Bytes64
{
    private byte _element;
}

[InlineArray(128)]
public struct Bytes128
{
    private byte _element;
}

[InlineArray(16)]
public struct SBytes16
{
    private sbyte _element;
}

[InlineArray(32)]
public struct SBytes32
{
    private sbyte _element;
}

[InlineArray(256)]
public struct SBytes256
{
    private sbyte _element;
}

[InlineArray(16)]
public struct Int16s16
{
    private short _element;
}
