using System.Text;

namespace EdgeLM.Tokenizers.PreTokenizer;

/// <summary>UTF-16 ↔ code point helpers shared by the pre-tokenizers.</summary>
internal static class Codepoints
{
    /// <summary>
    /// Decodes text to code points into <paramref name="output"/> (cleared first). Unpaired surrogates
    /// become U+FFFD, which is what the same text encoded to UTF-8 and read by llama.cpp gives.
    /// </summary>
    public static void Decode(ReadOnlySpan<char> text, List<int> output)
    {
        output.Clear();
        int i = 0;
        while (i < text.Length)
        {
            Rune.DecodeFromUtf16(text[i..], out Rune r, out int used);
            output.Add(r.Value);
            i += used;
        }
    }
}
