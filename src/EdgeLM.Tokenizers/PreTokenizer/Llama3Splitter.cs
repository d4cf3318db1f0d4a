namespace EdgeLM.Tokenizers.PreTokenizer;

/// <summary>
/// The Llama-3 pattern <c>(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+</c>
/// as llama.cpp hand-codes it (unicode_regex_split_custom_llama3). Qwen2's pattern is the same with
/// <c>\p{N}</c> instead of <c>\p{N}{1,3}</c> (unicode_regex_split_custom_qwen2): <see cref="_digitGroup"/> is 3 or 1.
/// </summary>
internal sealed class Llama3Splitter : IWordSplitter
{
    private readonly int _digitGroup;

    public Llama3Splitter(int digitGroup)
    {
        _digitGroup = digitGroup;
    }

    public void Split(ReadOnlySpan<int> cpts, List<int> pieces, List<int> output)
    {
        int start = 0;
        foreach (int length in pieces)
        {
            SplitPiece(cpts.Slice(start, length), output);
            start += length;
        }
    }

    private void SplitPiece(ReadOnlySpan<int> c, List<int> output)
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

            // (?i:'s|'t|'re|'ve|'m|'ll|'d): only ASCII letters lower-case to these, so ASCII folding is exact.
            if (cpt == '\'' && pos + 1 < end)
            {
                int next = AsciiLower(c[pos + 1]);
                if (next == 's' || next == 't' || next == 'm' || next == 'd')
                {
                    pos += AddToken(pos + 2);
                    continue;
                }
                if (pos + 2 < end)
                {
                    int nextNext = AsciiLower(c[pos + 2]);
                    if ((next == 'r' && nextNext == 'e') || (next == 'v' && nextNext == 'e') || (next == 'l' && nextNext == 'l'))
                    {
                        pos += AddToken(pos + 3);
                        continue;
                    }
                }
            }

            // [^\r\n\p{L}\p{N}]?\p{L}+
            if (!(cpt == '\r' || cpt == '\n' || (flags & CodepointFlags.Number) != 0))
            {
                if ((flags & CodepointFlags.Letter) != 0 || (Flags(c, pos + 1) & CodepointFlags.Letter) != 0)
                {
                    pos++;
                    while ((Flags(c, pos) & CodepointFlags.Letter) != 0)
                    {
                        pos++;
                    }
                    AddToken(pos);
                    continue;
                }
            }

            // \p{N}{1,3} (llama3) or \p{N} (qwen2)
            if ((flags & CodepointFlags.Number) != 0)
            {
                int groupStart = pos;
                while ((Flags(c, pos) & CodepointFlags.Number) != 0)
                {
                    if (++pos - groupStart >= _digitGroup)
                    {
                        AddToken(pos);
                        groupStart = pos;
                    }
                }
                AddToken(pos);
                continue;
            }

            // ' ?[^\s\p{L}\p{N}]+[\r\n]*'
            CodepointFlags flags2 = cpt == ' ' ? Flags(c, pos + 1) : flags;
            if ((flags2 & (CodepointFlags.Whitespace | CodepointFlags.Letter | CodepointFlags.Number)) == 0 && flags != CodepointFlags.None)
            {
                pos += cpt == ' ' ? 1 : 0;
                while ((flags2 & (CodepointFlags.Whitespace | CodepointFlags.Letter | CodepointFlags.Number)) == 0 && flags2 != CodepointFlags.None)
                {
                    flags2 = Flags(c, ++pos);
                }
                int cpt2 = Cpt(c, pos);
                while (cpt2 == '\r' || cpt2 == '\n')
                {
                    cpt2 = Cpt(c, ++pos);
                }
                AddToken(pos);
                continue;
            }

            int spaces = 0;
            int lastEndOfLine = 0;
            while ((Flags(c, pos + spaces) & CodepointFlags.Whitespace) != 0)
            {
                int cpt2 = Cpt(c, pos + spaces);
                if (cpt2 == '\r' || cpt2 == '\n')
                {
                    lastEndOfLine = pos + spaces + 1;
                }
                spaces++;
            }

            // \s*[\r\n]+
            if (lastEndOfLine > 0)
            {
                pos = lastEndOfLine;
                AddToken(pos);
                continue;
            }

            // \s+(?!\S)
            if (spaces > 1 && Cpt(c, pos + spaces) != -1)
            {
                pos += spaces - 1;
                AddToken(pos);
                continue;
            }

            // \s+
            if (spaces > 0)
            {
                pos += spaces;
                AddToken(pos);
                continue;
            }

            AddToken(++pos);
        }
    }

    private static int AsciiLower(int c) => c >= 'A' && c <= 'Z' ? c + 32 : c;

    /// <summary>The code point at p, or -1 past the end of the piece (llama.cpp's OUT_OF_RANGE).</summary>
    private static int Cpt(ReadOnlySpan<int> c, int p) => p < c.Length ? c[p] : -1;

    /// <summary>The flags at p, or none past the end of the piece.</summary>
    private static CodepointFlags Flags(ReadOnlySpan<int> c, int p) => p < c.Length ? CodepointClassifier.Of(c[p]) : CodepointFlags.None;
}
