namespace EdgeLM.Kernels.Formats;

/// <summary>
/// The 12-byte scale field shared by Q4_K and Q5_K: 8 six-bit scales and 8 six-bit mins. Sub-blocks
/// 0..3 sit in the low 6 bits of bytes 0..3 (scales) and 4..7 (mins); sub-blocks 4..7 keep their low
/// nibbles in bytes 8..11 and their top 2 bits in the high bits of bytes 0..7.
/// </summary>
internal static class KScales
{
    /// <summary>Rounds scales/mins to 6 bits against inv_scale/inv_min and packs them (quantize_row_q4_K_ref).</summary>
    public static void Pack(float invScale, float invMin, ReadOnlySpan<float> scales, ReadOnlySpan<float> mins, Span<byte> packed)
    {
        for (int j = 0; j < 8; j++)
        {
            // uint8_t ls = nearest_int(...): the low byte, then clamped to 63
            byte ls = (byte)CFloat.NearestInt(invScale * scales[j]);
            byte lm = (byte)CFloat.NearestInt(invMin * mins[j]);
            ls = Math.Min((byte)63, ls);
            lm = Math.Min((byte)63, lm);
            Store(j, ls, lm, packed);
        }
    }

    /// <summary>Stores the 6-bit scale and min of sub-block j (the inverse of ScaleSearch.ScaleMinK4).</summary>
    public static void Store(int j, byte ls, byte lm, Span<byte> packed)
    {
        if (j < 4)
        {
            packed[j] = ls;
            packed[j + 4] = lm;
        }
        else
        {
            packed[j + 4] = (byte)((ls & 0xF) | ((lm & 0xF) << 4));
            packed[j - 4] = (byte)(packed[j - 4] | ((ls >> 4) << 6));
            packed[j] = (byte)(packed[j] | ((lm >> 4) << 6));
        }
    }
}
