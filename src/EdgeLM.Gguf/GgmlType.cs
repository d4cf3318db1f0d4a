namespace EdgeLM.Gguf;

/// <summary>
/// ggml tensor types, with the numeric ids GGUF files store (ggml.h, enum ggml_type).
/// Ids 4 and 5 (Q4_2, Q4_3) and 31..33, 36..38 are retired or unused in current files.
/// </summary>
public enum GgmlType : uint
{
    F32 = 0,
    F16 = 1,
    Q4_0 = 2,
    Q4_1 = 3,
    Q5_0 = 6,
    Q5_1 = 7,
    Q8_0 = 8,
    Q8_1 = 9,
    Q2_K = 10,
    Q3_K = 11,
    Q4_K = 12,
    Q5_K = 13,
    Q6_K = 14,
    Q8_K = 15,
    IQ2_XXS = 16,
    IQ2_XS = 17,
    IQ3_XXS = 18,
    IQ1_S = 19,
    IQ4_NL = 20,
    IQ3_S = 21,
    IQ2_S = 22,
    IQ4_XS = 23,
    I8 = 24,
    I16 = 25,
    I32 = 26,
    I64 = 27,
    F64 = 28,
    IQ1_M = 29,
    BF16 = 30,
    TQ1_0 = 34,
    TQ2_0 = 35,
    MXFP4 = 39,
}

/// <summary>Block geometry of a ggml type: how many elements a block holds and how many bytes it takes.</summary>
public readonly record struct GgmlTypeInfo(GgmlType Type, string Name, int BlockSize, int TypeSize)
{
    /// <summary>Bytes needed for <paramref name="elements"/> values, or -1 when it is not a whole number of blocks.</summary>
    public long RowBytes(long elements) => elements % BlockSize != 0 ? -1 : elements / BlockSize * TypeSize;

    public bool IsQuantized => BlockSize > 1;
}

/// <summary>The table of known types (ggml.c type_traits: blck_size, type_size).</summary>
public static class GgmlTypes
{
    private static readonly GgmlTypeInfo?[] s_table = Build();

    private static GgmlTypeInfo?[] Build()
    {
        var t = new GgmlTypeInfo?[40];
        void Add(GgmlType type, string name, int block, int size) => t[(int)type] = new GgmlTypeInfo(type, name, block, size);
        Add(GgmlType.F32, "F32", 1, 4);
        Add(GgmlType.F16, "F16", 1, 2);
        Add(GgmlType.Q4_0, "Q4_0", 32, 18);
        Add(GgmlType.Q4_1, "Q4_1", 32, 20);
        Add(GgmlType.Q5_0, "Q5_0", 32, 22);
        Add(GgmlType.Q5_1, "Q5_1", 32, 24);
        Add(GgmlType.Q8_0, "Q8_0", 32, 34);
        Add(GgmlType.Q8_1, "Q8_1", 32, 36);
        Add(GgmlType.Q2_K, "Q2_K", 256, 84);
        Add(GgmlType.Q3_K, "Q3_K", 256, 110);
        Add(GgmlType.Q4_K, "Q4_K", 256, 144);
        Add(GgmlType.Q5_K, "Q5_K", 256, 176);
        Add(GgmlType.Q6_K, "Q6_K", 256, 210);
        Add(GgmlType.Q8_K, "Q8_K", 256, 292);
        Add(GgmlType.IQ2_XXS, "IQ2_XXS", 256, 66);
        Add(GgmlType.IQ2_XS, "IQ2_XS", 256, 74);
        Add(GgmlType.IQ3_XXS, "IQ3_XXS", 256, 98);
        Add(GgmlType.IQ1_S, "IQ1_S", 256, 50);
        Add(GgmlType.IQ4_NL, "IQ4_NL", 32, 18);
        Add(GgmlType.IQ3_S, "IQ3_S", 256, 110);
        Add(GgmlType.IQ2_S, "IQ2_S", 256, 82);
        Add(GgmlType.IQ4_XS, "IQ4_XS", 256, 136);
        Add(GgmlType.I8, "I8", 1, 1);
        Add(GgmlType.I16, "I16", 1, 2);
        Add(GgmlType.I32, "I32", 1, 4);
        Add(GgmlType.I64, "I64", 1, 8);
        Add(GgmlType.F64, "F64", 1, 8);
        Add(GgmlType.IQ1_M, "IQ1_M", 256, 56);
        Add(GgmlType.BF16, "BF16", 1, 2);
        Add(GgmlType.TQ1_0, "TQ1_0", 256, 54);
        Add(GgmlType.TQ2_0, "TQ2_0", 256, 66);
        Add(GgmlType.MXFP4, "MXFP4", 32, 17);
        return t;
    }

    /// <summary>True when <paramref name="id"/> names a type this table knows.</summary>
    public static bool TryGet(uint id, out GgmlTypeInfo info)
    {
        if (id < s_table.Length && s_table[id] is { } i) { info = i; return true; }
        info = default;
        return false;
    }

    /// <summary>The geometry of <paramref name="type"/>; throws for an id outside the table.</summary>
    public static GgmlTypeInfo Info(GgmlType type) =>
        TryGet((uint)type, out var i) ? i : throw new ArgumentOutOfRangeException(nameof(type), $"unknown ggml type id {(uint)type}");

    /// <summary>Parses a type name such as "q4_k" or "Q8_0" (case-insensitive).</summary>
    public static bool TryParse(string name, out GgmlType type)
    {
        foreach (var i in s_table)
            if (i is { } info && string.Equals(info.Name, name, StringComparison.OrdinalIgnoreCase)) { type = info.Type; return true; }
        type = default;
        return false;
    }
}
