using System.Runtime.CompilerServices;

namespace EdgeLM.Kernels.Dot;

/// <summary>Unpacking of the 6-bit sub-block scales the K-quants store in 12 bytes.</summary>
internal static unsafe class KQuantScales
{
    /// <summary>
    /// Q4_K/Q5_K get_scale_min_k4: sb &lt; 4: sc = s[sb] &amp; 63, m = s[sb+4] &amp; 63; else
    /// sc = (s[sb+4] &amp; 15) | (s[sb-4] &gt;&gt; 6) &lt;&lt; 4, m = (s[sb+4] &gt;&gt; 4) | (s[sb] &gt;&gt; 6) &lt;&lt; 4.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ScaleMinK4(byte* s, int sb, out int sc, out int m)
    {
        if (sb < 4)
        {
            sc = s[sb] & 63;
            m = s[sb + 4] & 63;
        }
        else
        {
            sc = (s[sb + 4] & 15) | (s[sb - 4] >> 6) << 4;
            m = (s[sb + 4] >> 4) | (s[sb] >> 6) << 4;
        }
    }

    /// <summary>
    /// Q3_K scale of sub-block s (0..15): low 4 bits from scales[s] (s &lt; 8) or scales[s-8] &gt;&gt; 4, high 2 bits
    /// (scales[8 + s%4] &gt;&gt; 2·(s/4)) &amp; 3, minus 32.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Q3Scale(byte* scales, int s)
    {
        int lo = s < 8 ? scales[s] & 15 : scales[s - 8] >> 4;
        int hi = (scales[8 + s % 4] >> (2 * (s / 4))) & 3;
        return (lo | hi << 4) - 32;
    }
}
