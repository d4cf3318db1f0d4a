namespace EdgeLM.Gguf;

/// <summary>
/// One GGUF metadata value. Scalars keep their stored type (so a re-write gives the same bytes); arrays of
/// scalars are held as typed .NET arrays (byte[], int[], float[], ...), arrays of strings as string[], and
/// arrays of arrays as GgufValue[].
/// </summary>
public sealed class GgufValue
{
    private readonly ulong _bits;
    private readonly string? _string;
    private readonly Array? _array;

    private GgufValue(GgufValueType type, GgufValueType elementType, ulong bits, string? str, Array? array)
    {
        Type = type;
        ElementType = elementType;
        _bits = bits;
        _string = str;
        _array = array;
    }

    public GgufValueType Type { get; }

    /// <summary>For arrays: the element type. Otherwise equal to <see cref="Type"/>.</summary>
    public GgufValueType ElementType { get; }

    public static GgufValue FromUInt8(byte v) => new(GgufValueType.UInt8, GgufValueType.UInt8, v, null, null);
    public static GgufValue FromInt8(sbyte v) => new(GgufValueType.Int8, GgufValueType.Int8, unchecked((ulong)v), null, null);
    public static GgufValue FromUInt16(ushort v) => new(GgufValueType.UInt16, GgufValueType.UInt16, v, null, null);
    public static GgufValue FromInt16(short v) => new(GgufValueType.Int16, GgufValueType.Int16, unchecked((ulong)v), null, null);
    public static GgufValue FromUInt32(uint v) => new(GgufValueType.UInt32, GgufValueType.UInt32, v, null, null);
    public static GgufValue FromInt32(int v) => new(GgufValueType.Int32, GgufValueType.Int32, unchecked((ulong)v), null, null);
    public static GgufValue FromUInt64(ulong v) => new(GgufValueType.UInt64, GgufValueType.UInt64, v, null, null);
    public static GgufValue FromInt64(long v) => new(GgufValueType.Int64, GgufValueType.Int64, unchecked((ulong)v), null, null);
    public static GgufValue FromFloat32(float v) => new(GgufValueType.Float32, GgufValueType.Float32, BitConverter.SingleToUInt32Bits(v), null, null);
    public static GgufValue FromFloat64(double v) => new(GgufValueType.Float64, GgufValueType.Float64, BitConverter.DoubleToUInt64Bits(v), null, null);
    public static GgufValue FromBool(bool v) => new(GgufValueType.Bool, GgufValueType.Bool, v ? 1UL : 0UL, null, null);
    public static GgufValue FromString(string v) => new(GgufValueType.String, GgufValueType.String, 0, v ?? throw new ArgumentNullException(nameof(v)), null);

    /// <summary>An array; <paramref name="values"/> must be the .NET array type matching <paramref name="elementType"/>.</summary>
    public static GgufValue FromArray(GgufValueType elementType, Array values)
    {
        Type expected = ArrayClrType(elementType);
        if (values.GetType() != expected)
            throw new ArgumentException($"a GGUF array of {elementType} must be a {expected.Name}, not {values.GetType().Name}", nameof(values));
        // The writer must be able to encode what the reader decodes: strings are never null, and the elements of
        // an array of arrays are arrays (GGUF stores them as type + count + elements, with no per-element tag).
        if (values is string[] strings && Array.IndexOf(strings, null) >= 0)
            throw new ArgumentException("a GGUF array of String cannot hold null", nameof(values));
        if (values is GgufValue[] items)
            foreach (var item in items)
                if (item is null || !item.IsArray)
                    throw new ArgumentException("every element of a GGUF array of Array must itself be an array", nameof(values));
        return new GgufValue(GgufValueType.Array, elementType, 0, null, values);
    }

    public static GgufValue FromStrings(string[] v) => FromArray(GgufValueType.String, v);
    public static GgufValue FromFloats(float[] v) => FromArray(GgufValueType.Float32, v);
    public static GgufValue FromInt32s(int[] v) => FromArray(GgufValueType.Int32, v);

    internal static Type ArrayClrType(GgufValueType t) => t switch
    {
        GgufValueType.UInt8 => typeof(byte[]),
        GgufValueType.Int8 => typeof(sbyte[]),
        GgufValueType.UInt16 => typeof(ushort[]),
        GgufValueType.Int16 => typeof(short[]),
        GgufValueType.UInt32 => typeof(uint[]),
        GgufValueType.Int32 => typeof(int[]),
        GgufValueType.Float32 => typeof(float[]),
        GgufValueType.Bool => typeof(bool[]),
        GgufValueType.String => typeof(string[]),
        GgufValueType.Array => typeof(GgufValue[]),
        GgufValueType.UInt64 => typeof(ulong[]),
        GgufValueType.Int64 => typeof(long[]),
        GgufValueType.Float64 => typeof(double[]),
        _ => throw new ArgumentOutOfRangeException(nameof(t), $"unknown GGUF value type {(uint)t}"),
    };

    internal ulong RawBits => _bits;

    public bool IsArray => Type == GgufValueType.Array;

    public bool IsInteger => Type is GgufValueType.UInt8 or GgufValueType.Int8 or GgufValueType.UInt16 or GgufValueType.Int16
        or GgufValueType.UInt32 or GgufValueType.Int32 or GgufValueType.UInt64 or GgufValueType.Int64;

    /// <summary>Number of elements of an array (0 for scalars).</summary>
    public int Count => _array?.Length ?? 0;

    /// <summary>The array's elements as the typed .NET array (byte[], float[], string[], GgufValue[] ...), or null for scalars.</summary>
    public Array? ArrayValue => _array;

    public string AsString() => _string ?? throw new InvalidCastException($"value is {Type}, not String");

    public bool AsBool() => Type == GgufValueType.Bool ? _bits != 0 : throw new InvalidCastException($"value is {Type}, not Bool");

    /// <summary>Any integer type, as a long; a UInt64 above long.MaxValue does not fit.</summary>
    public long AsInt64() => Type switch
    {
        GgufValueType.Int8 or GgufValueType.Int16 or GgufValueType.Int32 or GgufValueType.Int64 => unchecked((long)_bits),
        GgufValueType.UInt8 or GgufValueType.UInt16 or GgufValueType.UInt32 => (long)_bits,
        GgufValueType.UInt64 when _bits <= long.MaxValue => (long)_bits,
        GgufValueType.UInt64 => throw new InvalidCastException($"value {_bits} does not fit a signed 64-bit integer"),
        _ => throw new InvalidCastException($"value is {Type}, not an integer"),
    };

    /// <summary>Any integer type, as an unsigned 64-bit value; a negative value does not fit.</summary>
    public ulong AsUInt64() => Type == GgufValueType.UInt64 ? _bits
        : AsInt64() is var v and >= 0 ? (ulong)v
        : throw new InvalidCastException($"value {AsInt64()} does not fit an unsigned 64-bit integer");

    /// <summary>Float32, Float64 (narrowed) or an integer, as a float.</summary>
    public float AsFloat32() => Type switch
    {
        GgufValueType.Float32 => BitConverter.UInt32BitsToSingle((uint)_bits),
        GgufValueType.Float64 => (float)BitConverter.UInt64BitsToDouble(_bits),
        _ when IsInteger => AsInt64(),
        _ => throw new InvalidCastException($"value is {Type}, not a number"),
    };

    public double AsFloat64() => Type switch
    {
        GgufValueType.Float32 => BitConverter.UInt32BitsToSingle((uint)_bits),
        GgufValueType.Float64 => BitConverter.UInt64BitsToDouble(_bits),
        _ when IsInteger => AsInt64(),
        _ => throw new InvalidCastException($"value is {Type}, not a number"),
    };

    /// <summary>The typed array, when this is an array of <typeparamref name="T"/>.</summary>
    public T[] AsArray<T>() => _array as T[] ?? throw new InvalidCastException(
        IsArray ? $"value is an array of {ElementType}, not of {typeof(T).Name}" : $"value is {Type}, not an array");

    /// <summary>An array of any integer element type, widened to int; throws when an element does not fit.</summary>
    public int[] AsInt32Array()
    {
        switch (_array)
        {
            case int[] a: return a;
            case uint[] a: return a.Select(v => checked((int)v)).ToArray();
            case long[] a: return a.Select(v => checked((int)v)).ToArray();
            case ulong[] a: return a.Select(v => checked((int)v)).ToArray();
            case short[] a: return a.Select(v => (int)v).ToArray();
            case ushort[] a: return a.Select(v => (int)v).ToArray();
            case sbyte[] a: return a.Select(v => (int)v).ToArray();
            case byte[] a: return a.Select(v => (int)v).ToArray();
            default: throw new InvalidCastException(IsArray ? $"value is an array of {ElementType}, not of integers" : $"value is {Type}, not an array");
        }
    }

    public override string ToString() => Type switch
    {
        GgufValueType.String => _string!,
        GgufValueType.Bool => AsBool() ? "true" : "false",
        GgufValueType.Float32 or GgufValueType.Float64 => AsFloat64().ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        GgufValueType.Array => $"[{ElementType} x {Count}]",
        GgufValueType.UInt64 => _bits.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => AsInt64().ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
