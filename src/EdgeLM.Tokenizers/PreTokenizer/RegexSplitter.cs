using System.Text;
using System.Text.RegularExpressions;

namespace EdgeLM.Tokenizers.PreTokenizer;

/// <summary>
/// A pre-tokenizer stage that llama.cpp runs with std::regex (unicode_regex_split_stl): every match is a
/// piece, and so is every gap between matches. Two text views, as in llama.cpp:
/// <list type="bullet">
/// <item><see cref="TextView.Collapsed"/> for patterns that use \p{..}: every code point becomes one char:
/// ASCII stays itself, other White_Space becomes \v, and any other code point becomes a stand-in for its
/// category (0xD1 number, 0xD2 letter, 0xD3 punctuation, 0xD4 mark, 0xD5 symbol, 0xD0 anything else);
/// the pattern names \p{L} as [\u00D2A-Za-z] and so on.</item>
/// <item><see cref="TextView.Wide"/> for patterns without \p{..}: the code points themselves, with non-ASCII
/// White_Space replaced by \v (std::wregex's \s only knows ASCII).</item>
/// </list>
/// </summary>
internal sealed class RegexSplitter : IWordSplitter
{
    /// <summary>\p{N} in a collapsed pattern.</summary>
    public const string CollapsedNumber = "\u00D10-9";

    /// <summary>\p{L} in a collapsed pattern.</summary>
    public const string CollapsedLetter = "\u00D2A-Za-z";

    /// <summary>\p{P} in a collapsed pattern: the stand-in and the ASCII punctuation !-#%-*,-/:;?@[-]_{}.</summary>
    public const string CollapsedPunctuation = "\u00D3!-#%-*,-/:-;?-@\\[-\\]_\\{\\}";

    private readonly Regex _regex;
    private readonly TextView _view;

    public RegexSplitter(string pattern, TextView view)
    {
        // Culture-invariant, no options: ordered alternation and greedy quantifiers behave like ECMAScript.
        _regex = new Regex(pattern, RegexOptions.CultureInvariant);
        _view = view;
    }

    public enum TextView
    {
        Collapsed,
        Wide,
    }

    public void Split(ReadOnlySpan<int> cpts, List<int> pieces, List<int> output)
    {
        if (_view == TextView.Collapsed)
        {
            SplitCollapsed(cpts, pieces, output);
        }
        else
        {
            SplitWide(cpts, pieces, output);
        }
    }

    private void SplitCollapsed(ReadOnlySpan<int> cpts, List<int> pieces, List<int> output)
    {
        char[] buffer = new char[cpts.Length];
        for (int i = 0; i < cpts.Length; i++)
        {
            buffer[i] = Collapse(cpts[i]);
        }
        int start = 0;
        foreach (int length in pieces)
        {
            // One char per code point: match positions are code point counts.
            int last = 0;
            foreach (ValueMatch m in _regex.EnumerateMatches(buffer.AsSpan(start, length)))
            {
                AddMatch(output, ref last, m.Index, m.Length);
            }
            if (last < length)
            {
                output.Add(length - last);
            }
            start += length;
        }
    }

    private void SplitWide(ReadOnlySpan<int> cpts, List<int> pieces, List<int> output)
    {
        var text = new StringBuilder(cpts.Length + 8);
        var cptOfChar = new List<int>(cpts.Length + 8);
        for (int i = 0; i < cpts.Length; i++)
        {
            int cp = cpts[i];
            if (cp > 0x7F && (CodepointClassifier.Of(cp) & CodepointFlags.Whitespace) != 0)
            {
                cp = 0x0B;
            }
            int before = text.Length;
            text.Append(char.ConvertFromUtf32(Rune.IsValid(cp) ? cp : 0xFFFD));
            for (int k = before; k < text.Length; k++)
            {
                cptOfChar.Add(i);
            }
        }
        cptOfChar.Add(cpts.Length);
        string wide = text.ToString();

        int charStart = 0;
        int cpStart = 0;
        foreach (int length in pieces)
        {
            int charEnd = charStart;
            while (cptOfChar[charEnd] < cpStart + length)
            {
                charEnd++;
            }
            int last = 0;
            foreach (ValueMatch m in _regex.EnumerateMatches(wide.AsSpan(charStart, charEnd - charStart)))
            {
                int matchStart = cptOfChar[charStart + m.Index] - cpStart;
                int matchEnd = cptOfChar[charStart + m.Index + m.Length] - cpStart;
                AddMatch(output, ref last, matchStart, matchEnd - matchStart);
            }
            if (last < length)
            {
                output.Add(length - last);
            }
            charStart = charEnd;
            cpStart += length;
        }
    }

    private static void AddMatch(List<int> output, ref int last, int index, int length)
    {
        if (index > last)
        {
            output.Add(index - last);
        }
        output.Add(length);
        last = index + length;
    }

    private static char Collapse(int cp)
    {
        if (cp < 128)
        {
            return (char)cp;
        }
        CodepointFlags flags = CodepointClassifier.Of(cp);
        if ((flags & CodepointFlags.Whitespace) != 0)
        {
            return '\v';
        }
        return (flags & CodepointFlags.Categories) switch
        {
            CodepointFlags.Number => '\u00D1',
            CodepointFlags.Letter => '\u00D2',
            CodepointFlags.Punctuation => '\u00D3',
            CodepointFlags.AccentMark => '\u00D4',
            CodepointFlags.Symbol => '\u00D5',
            _ => '\u00D0',
        };
    }
}
