using System.Globalization;
using System.Text;

namespace EdgeLM.Tokenizers.PreTokenizer;

/// <summary>
/// The code point classes llama.cpp's pre-tokenizers test (unicode_cpt_flags): one general-category
/// group per code point (Cn → UNDEFINED, Nd/Nl/No → NUMBER, L* → LETTER, Z* → SEPARATOR, M* → ACCENT_MARK,
/// P* → PUNCTUATION, S* → SYMBOL, Cc/Cf/Co/Cs → CONTROL) plus WHITESPACE for the Unicode White_Space set.
/// <see cref="None"/> is what llama.cpp returns for a position past the end of a fragment.
/// </summary>
[Flags]
internal enum CodepointFlags : ushort
{
    None = 0,
    Undefined = 0x0001,
    Number = 0x0002,
    Letter = 0x0004,
    Separator = 0x0008,
    AccentMark = 0x0010,
    Punctuation = 0x0020,
    Symbol = 0x0040,
    Control = 0x0080,
    Categories = 0x00FF,
    Whitespace = 0x0100,
}

/// <summary>Classifies code points with .NET's Unicode tables; the BMP is precomputed once.</summary>
internal static class CodepointClassifier
{
    private static readonly CodepointFlags[] s_bmp = BuildBmp();

    public static CodepointFlags Of(int codepoint) =>
        (uint)codepoint < (uint)s_bmp.Length ? s_bmp[codepoint] : Compute(codepoint);

    private static CodepointFlags[] BuildBmp()
    {
        var table = new CodepointFlags[0x10000];
        for (int cp = 0; cp < table.Length; cp++)
        {
            table[cp] = Compute(cp);
        }
        return table;
    }

    private static CodepointFlags Compute(int cp)
    {
        if (cp < 0 || cp > 0x10FFFF)
        {
            return CodepointFlags.Undefined;
        }
        CodepointFlags flags = CharUnicodeInfo.GetUnicodeCategory(cp) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => CodepointFlags.Letter,
            UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark => CodepointFlags.AccentMark,
            UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => CodepointFlags.Number,
            UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => CodepointFlags.Separator,
            UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse => CodepointFlags.Control,
            UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation
                or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
                or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation => CodepointFlags.Punctuation,
            UnicodeCategory.MathSymbol or UnicodeCategory.CurrencySymbol or UnicodeCategory.ModifierSymbol
                or UnicodeCategory.OtherSymbol => CodepointFlags.Symbol,
            _ => CodepointFlags.Undefined,
        };
        // White_Space (PropList.txt) is exactly what Rune.IsWhiteSpace tests: 9..D, 20, 85, A0, 1680,
        // 2000..200A, 2028, 2029, 202F, 205F, 3000.
        if (Rune.IsValid(cp) && Rune.IsWhiteSpace(new Rune(cp)))
        {
            flags |= CodepointFlags.Whitespace;
        }
        return flags;
    }
}
