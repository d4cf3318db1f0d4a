using System.Text;

namespace EdgeLM.Tokenizers.Model;

/// <summary>
/// GPT-2's byte ↔ character alphabet for byte-level BPE: the printable bytes 0x21..0x7E, 0xA1..0xAC and
/// 0xAE..0xFF stand for themselves; the other 68 bytes map, in byte order, to U+0100, U+0101, ... .
/// Every byte becomes exactly one BMP char, so a byte-encoded word can be merged as a char span.
/// </summary>
internal static class ByteLevelAlphabet
{
    private static readonly char[] s_byteToChar = BuildByteToChar();
    private static readonly Dictionary<char, byte> s_charToByte = BuildCharToByte();

    public static char ToChar(byte b) => s_byteToChar[b];

    public static bool TryToByte(char c, out byte b) => s_charToByte.TryGetValue(c, out b);

    /// <summary>
    /// The bytes of a NORMAL BPE token. A character outside the alphabet is kept the way llama.cpp's
    /// llama_decode_text keeps it: "[UNK_BYTE_0x" + its UTF-8 in hex + the whole token text + "]".
    /// </summary>
    public static byte[] Decode(string text)
    {
        var bytes = new List<byte>(text.Length);
        Span<byte> utf8 = stackalloc byte[4];
        foreach (Rune r in text.EnumerateRunes())
        {
            if (r.IsBmp && s_charToByte.TryGetValue((char)r.Value, out byte b))
            {
                bytes.Add(b);
                continue;
            }
            int n = r.EncodeToUtf8(utf8);
            var sb = new StringBuilder("[UNK_BYTE_0x");
            for (int i = 0; i < n; i++)
            {
                sb.Append(utf8[i].ToString("x2"));
            }
            sb.Append(text).Append(']');
            bytes.AddRange(Encoding.UTF8.GetBytes(sb.ToString()));
        }
        return bytes.ToArray();
    }

    private static char[] BuildByteToChar()
    {
        var map = new char[256];
        int next = 256;
        for (int b = 0; b < 256; b++)
        {
            bool printable = (b >= 0x21 && b <= 0x7E) || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            map[b] = printable ? (char)b : (char)next++;
        }
        return map;
    }

    private static Dictionary<char, byte> BuildCharToByte()
    {
        var map = new Dictionary<char, byte>(256);
        for (int b = 0; b < 256; b++)
        {
            map[s_byteToChar[b]] = (byte)b;
        }
        return map;
    }
}
