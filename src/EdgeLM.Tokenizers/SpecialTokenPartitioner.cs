namespace EdgeLM.Tokenizers;

/// <summary>A piece of the input: either raw text (Token = -1) or one special token found in it.</summary>
internal readonly record struct Fragment(int Token, int Start, int Length)
{
    public bool IsText => Token < 0;
}

/// <summary>
/// Cuts special-token text out of the input before the model runs, as llama.cpp's tokenizer_st_partition:
/// the special tokens (CONTROL, USER_DEFINED and UNKNOWN ids, longest text first) are taken one after
/// the other, and each splits every raw-text fragment at each of its leftmost non-overlapping occurrences.
/// CONTROL and UNKNOWN tokens are skipped unless special parsing is on; USER_DEFINED tokens always match.
/// LSTRIP/RSTRIP tokens swallow ASCII whitespace (C isspace) on their left/right.
/// </summary>
internal sealed class SpecialTokenPartitioner
{
    private readonly int[] _specialIds;
    private readonly string[] _texts;
    private readonly TokenAttributes[] _attributes;

    public SpecialTokenPartitioner(int[] specialIdsLongestFirst, string[] texts, TokenAttributes[] attributes)
    {
        _specialIds = specialIdsLongestFirst;
        _texts = texts;
        _attributes = attributes;
    }

    public List<Fragment> Partition(ReadOnlySpan<char> text, bool parseSpecial)
    {
        var fragments = new List<Fragment>();
        if (text.IsEmpty)
        {
            return fragments;
        }
        fragments.Add(new Fragment(-1, 0, text.Length));
        var next = new List<Fragment>();
        foreach (int id in _specialIds)
        {
            TokenAttributes attr = _attributes[id];
            if (!parseSpecial && (attr & (TokenAttributes.Control | TokenAttributes.Unknown)) != 0)
            {
                continue;
            }
            string special = _texts[id];
            next.Clear();
            bool changed = false;
            foreach (Fragment f in fragments)
            {
                if (!f.IsText)
                {
                    next.Add(f);
                    continue;
                }
                changed |= Split(text, f, id, special, attr, next);
            }
            if (changed)
            {
                (fragments, next) = (next, fragments);
            }
        }
        return fragments;
    }

    private static bool Split(ReadOnlySpan<char> text, Fragment f, int id, string special, TokenAttributes attr, List<Fragment> output)
    {
        int offset = f.Start;
        int length = f.Length;
        bool found = false;
        while (length > 0)
        {
            int rel = text.Slice(offset, length).IndexOf(special.AsSpan(), StringComparison.Ordinal);
            if (rel < 0)
            {
                break;
            }
            found = true;
            int match = offset + rel;
            int leftLength = rel;
            if ((attr & TokenAttributes.LStrip) != 0)
            {
                while (leftLength > 0 && IsCSpace(text[offset + leftLength - 1]))
                {
                    leftLength--;
                }
            }
            if (leftLength > 0)
            {
                output.Add(new Fragment(-1, offset, leftLength));
            }
            output.Add(new Fragment(id, match, special.Length));
            int rightOffset = match + special.Length;
            int rightLength = offset + length - rightOffset;
            if ((attr & TokenAttributes.RStrip) != 0)
            {
                while (rightLength > 0 && IsCSpace(text[rightOffset]))
                {
                    rightOffset++;
                    rightLength--;
                }
            }
            offset = rightOffset;
            length = rightLength;
        }
        if (length > 0)
        {
            output.Add(new Fragment(-1, offset, length));
        }
        return found;
    }

    /// <summary>C's isspace in the "C" locale: space, \t, \n, \v, \f, \r.</summary>
    private static bool IsCSpace(char c) => c == ' ' || (c >= '\t' && c <= '\r');
}
