using System.Globalization;

namespace EdgeLM.Quantization.Recipes;

/// <summary>
/// The order in which llama.cpp's loader lists tensors and llama-quantize processes and writes them: tensors without
/// a `blk.N.` prefix first, then block number ascending, ties broken by byte-wise name comparison. The attn_v and
/// ffn_down layer counters of the recipe rules count in this order.
/// </summary>
public sealed class ProcessingOrder : IComparer<string>
{
    public static ProcessingOrder Instance { get; } = new();

    public int Compare(string? x, string? y)
    {
        int bx = BlockOf(x!);
        int by = BlockOf(y!);
        if (bx != by)
        {
            return bx.CompareTo(by);
        }
        return string.CompareOrdinal(x, y);
    }

    /// <summary>The N of a `blk.N.` prefix, or -1 for tensors outside the blocks.</summary>
    public static int BlockOf(string name)
    {
        if (!name.StartsWith("blk.", StringComparison.Ordinal))
        {
            return -1;
        }
        int end = name.IndexOf('.', 4);
        if (end < 0)
        {
            return -1;
        }
        return int.TryParse(name.AsSpan(4, end - 4), NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : -1;
    }
}
