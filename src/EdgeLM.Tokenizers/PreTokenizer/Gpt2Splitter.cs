namespace EdgeLM.Tokenizers.PreTokenizer;

/// <summary>
/// GPT-2's pattern <c>'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+</c>
/// as llama.cpp hand-codes it (unicode_regex_split_custom_gpt2), for speed and because its result
/// is the reference: contractions are case-sensitive, and whitespace before a non-space keeps one
/// space for the next piece.
/// </summary>
internal sealed class Gpt2Splitter : IWordSplitter
{
    public void Split(ReadOnlySpan<int> cpts, List<int> pieces, List<int> output)
    {
        int start = 0;
        foreach (int length in pieces)
        {
            SplitPiece(cpts.Slice(start, length), output);
            start += length;
        }
    }

    private static void SplitPiece(ReadOnlySpan<int> c, List<int> output)
    {
        int end = c.Length;
        int prevEnd = 0;
        int pos = 0;

        int AddToken(int tokenEnd)
        {
            int len = tokenEnd - prevEnd;
            if (len > 0)
            {
                output.Add(len);
            }
            prevEnd = tokenEnd;
            return len;
        }

        while (pos < end)
        {
            int cpt = c[pos];
            CodepointFlags flags = Flags(c, pos);

            if (cpt == '\'' && pos + 1 < end)
            {
                int next = c[pos + 1];
                if (next == 's' || next == 't' || next == 'm' || next == 'd')
                {
                    pos += AddToken(pos + 2);
                    continue;
                }
                if (pos + 2 < end)
                {
                    int nextNext = c[pos + 2];
                    if ((next == 'r' && nextNext == 'e') || (next == 'v' && nextNext == 'e') || (next == 'l' && nextNext == 'l'))
                    {
                        pos += AddToken(pos + 3);
                        continue;
                    }
                }
            }

            CodepointFlags flags2 = cpt == ' ' ? Flags(c, pos + 1) : flags;
            if ((flags2 & CodepointFlags.Letter) != 0)
            {
                pos += cpt == ' ' ? 1 : 0;
                while ((flags2 & CodepointFlags.Letter) != 0)
                {
                    flags2 = Flags(c, ++pos);
                }
                AddToken(pos);
                continue;
            }
            if ((flags2 & CodepointFlags.Number) != 0)
            {
                pos += cpt == ' ' ? 1 : 0;
                while ((flags2 & CodepointFlags.Number) != 0)
                {
                    flags2 = Flags(c, ++pos);
                }
                AddToken(pos);
                continue;
            }
            if (IsOther(flags2))
            {
                pos += cpt == ' ' ? 1 : 0;
                while (IsOther(flags2))
                {
                    flags2 = Flags(c, ++pos);
                }
                AddToken(pos);
                continue;
            }

            int spaces = 0;
            while ((Flags(c, pos + spaces) & CodepointFlags.Whitespace) != 0)
            {
                spaces++;
            }
            if (spaces > 1 && Cpt(c, pos + spaces) != -1)
            {
                pos += spaces - 1;
                AddToken(pos);
                continue;
            }
            if (spaces > 0)
            {
                pos += spaces;
                AddToken(pos);
                continue;
            }
            AddToken(++pos);
        }
    }

    /// <summary>[^\s\p{L}\p{N}] inside the piece (flags non-zero).</summary>
    private static bool IsOther(CodepointFlags f) =>
        (f & (CodepointFlags.Whitespace | CodepointFlags.Letter | CodepointFlags.Number)) == 0 && f != CodepointFlags.None;

    /// <summary>The code point at p, or -1 past the end of the piece (llama.cpp's OUT_OF_RANGE).</summary>
    private static int Cpt(ReadOnlySpan<int> c, int p) => p < c.Length ? c[p] : -1;

    /// <summary>The flags at p, or none past the end of the piece.</summary>
    private static CodepointFlags Flags(ReadOnlySpan<int> c, int p) => p < c.Length ? CodepointClassifier.Of(c[p]) : CodepointFlags.None;
}
