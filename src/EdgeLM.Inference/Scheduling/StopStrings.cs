using System.Text;

namespace EdgeLM.Inference.Scheduling;

/// <summary>
/// Stop-string bookkeeping of a streamed generation: where the first stop string starts, and how much of the
/// tail must be held back because it could still become one.
/// </summary>
internal static class StopStrings
{
    public static bool Match(StringBuilder text, IReadOnlyList<string> stops, int searchFrom, out int cut)
    {
        cut = -1;
        if (stops.Count == 0)
            return false;
        string s = text.ToString();
        foreach (var stop in stops)
        {
            if (stop.Length == 0)
                continue;
            int i = s.IndexOf(stop, Math.Max(0, searchFrom - stop.Length), StringComparison.Ordinal);
            if (i >= 0 && (cut < 0 || i < cut))
                cut = i;
        }
        return cut >= 0;
    }

    /// <summary>Length of the longest tail of <paramref name="text"/> that is a proper prefix of a stop string.</summary>
    public static int HeldBack(StringBuilder text, IReadOnlyList<string> stops)
    {
        int best = 0;
        foreach (var stop in stops)
        {
            for (int len = Math.Min(stop.Length - 1, text.Length); len > best; len--)
            {
                bool match = true;
                for (int i = 0; i < len && match; i++)
                    match = text[text.Length - len + i] == stop[i];
                if (match) { best = len; break; }
            }
        }
        return best;
    }
}
