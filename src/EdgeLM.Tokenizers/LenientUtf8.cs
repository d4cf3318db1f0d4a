using System.Text;

namespace EdgeLM.Tokenizers;

/// <summary>Text repairs that make .NET strings and byte input read the way llama.cpp reads UTF-8.</summary>
internal static class LenientUtf8
{
    /// <summary>
    /// Decodes like llama.cpp's unicode_cpts_from_utf8: a lead byte with its continuation bytes is one code
    /// point; any byte that does not start a complete sequence becomes one U+FFFD and decoding resumes at the
    /// next byte. (Unlike .NET's decoder, a truncated sequence gives one U+FFFD per byte.) Sequences that
    /// decode to surrogates or beyond U+10FFFF, which a .NET string cannot hold, also give U+FFFD.
    /// </summary>
    public static string Decode(ReadOnlySpan<byte> s)
    {
        var sb = new StringBuilder(s.Length);
        int i = 0;
        while (i < s.Length)
        {
            byte b = s[i];
            int need;
            int cp;
            if ((b & 0x80) == 0)
            {
                sb.Append((char)b);
                i++;
                continue;
            }
            else if ((b & 0x40) == 0)
            {
                need = -1;
                cp = 0;
            }
            else if ((b & 0x20) == 0)
            {
                need = 1;
                cp = b & 0x1F;
            }
            else if ((b & 0x10) == 0)
            {
                need = 2;
                cp = b & 0x0F;
            }
            else if ((b & 0x08) == 0)
            {
                need = 3;
                cp = b & 0x07;
            }
            else
            {
                need = -1;
                cp = 0;
            }
            bool ok = need > 0;
            if (ok)
            {
                for (int k = 1; k <= need; k++)
                {
                    if (i + k >= s.Length || (s[i + k] & 0xC0) != 0x80)
                    {
                        ok = false;
                        break;
                    }
                    cp = (cp << 6) | (s[i + k] & 0x3F);
                }
            }
            if (!ok)
            {
                sb.Append('\uFFFD');
                i++;
                continue;
            }
            sb.Append(Rune.IsValid(cp) ? new Rune(cp).ToString() : "\uFFFD");
            i += need + 1;
        }
        return sb.ToString();
    }

    /// <summary>
    /// Replaces unpaired surrogates by U+FFFD (what UTF-8 encoding of the string gives), or returns null when
    /// the text has none, so that the common case allocates nothing.
    /// </summary>
    public static string? ReplaceLoneSurrogates(ReadOnlySpan<char> text)
    {
        int bad = FirstLoneSurrogate(text);
        if (bad < 0)
        {
            return null;
        }
        var chars = text.ToArray();
        for (int i = bad; i < chars.Length; i++)
        {
            if (char.IsHighSurrogate(chars[i]) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(chars[i]))
            {
                chars[i] = '\uFFFD';
            }
        }
        return new string(chars);
    }

    private static int FirstLoneSurrogate(ReadOnlySpan<char> text)
    {
        int i = text.IndexOfAnyInRange('\uD800', '\uDFFF');
        while (i >= 0 && i < text.Length)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                int next = text[(i + 2)..].IndexOfAnyInRange('\uD800', '\uDFFF');
                i = next < 0 ? -1 : i + 2 + next;
                continue;
            }
            return i;
        }
        return -1;
    }
}
