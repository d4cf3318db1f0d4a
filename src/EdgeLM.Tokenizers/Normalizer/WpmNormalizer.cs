using System.Text;
using EdgeLM.Tokenizers.PreTokenizer;

namespace EdgeLM.Tokenizers.Normalizer;

/// <summary>
/// BERT's basic normalization and word splitting as llama.cpp does it (llm_tokenizer_wpm_session::preprocess):
/// optional accent stripping (each code point replaced by the first code point of its NFD, then combining
/// marks dropped), optional lower-casing (simple case mapping), control characters, NUL and U+FFFD dropped,
/// splits at White_Space, and every punctuation character, ASCII symbol and CJK ideograph is a word of its own.
/// </summary>
internal static class WpmNormalizer
{
    public static List<string> Split(ReadOnlySpan<int> cpts, bool lowercase, bool stripAccents)
    {
        var words = new List<string>();
        var current = new StringBuilder();
        foreach (int original in cpts)
        {
            int cpt = stripAccents ? FirstOfNfd(original) : original;
            CodepointFlags flags = CodepointClassifier.Of(cpt);
            if ((flags & CodepointFlags.Whitespace) != 0)
            {
                Flush(words, current);
                continue;
            }
            if (cpt == 0 || cpt == 0xFFFD || (flags & CodepointFlags.Control) != 0)
            {
                continue;
            }
            if (stripAccents && (flags & CodepointFlags.AccentMark) != 0)
            {
                continue;
            }
            var rune = new Rune(cpt);
            if (lowercase)
            {
                rune = Rune.ToLowerInvariant(rune);
            }
            if ((flags & CodepointFlags.Punctuation) != 0 || (cpt < 0x7F && (flags & CodepointFlags.Symbol) != 0) || IsChinese(cpt))
            {
                Flush(words, current);
                words.Add(rune.ToString());
            }
            else
            {
                current.Append(rune.ToString());
            }
        }
        Flush(words, current);
        return words;
    }

    private static void Flush(List<string> words, StringBuilder current)
    {
        if (current.Length > 0)
        {
            words.Add(current.ToString());
            current.Clear();
        }
    }

    private static int FirstOfNfd(int cpt)
    {
        ReadOnlySpan<int> ranges = NfdFirstCodepointTable.Ranges;
        int lo = 0;
        int hi = ranges.Length / 3 - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >> 1;
            if (cpt < ranges[mid * 3])
            {
                hi = mid - 1;
            }
            else if (cpt > ranges[mid * 3 + 1])
            {
                lo = mid + 1;
            }
            else
            {
                return ranges[mid * 3 + 2];
            }
        }
        return cpt;
    }

    /// <summary>The CJK blocks BERT isolates (llama.cpp's is_chinese_char, with HF's 0x2B920 start of Extension E).</summary>
    private static bool IsChinese(int c) =>
        (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x20000 && c <= 0x2A6DF)
        || (c >= 0x2A700 && c <= 0x2B73F) || (c >= 0x2B740 && c <= 0x2B81F) || (c >= 0x2B920 && c <= 0x2CEAF)
        || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
}
