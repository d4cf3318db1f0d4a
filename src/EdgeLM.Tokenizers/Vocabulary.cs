using System.Text;

namespace EdgeLM.Tokenizers;

/// <summary>
/// The token table: text, score, type and attributes of every id, and the text → id map that every
/// model searches with spans (no string allocation per lookup).
/// </summary>
internal sealed class Vocabulary
{
    private readonly Dictionary<string, int> _ids;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _idsBySpan;

    public Vocabulary(string[] texts, float[] scores, TokenType[] types)
    {
        Texts = texts;
        Scores = scores;
        Types = types;
        Attributes = new TokenAttributes[texts.Length];
        _ids = new Dictionary<string, int>(texts.Length, StringComparer.Ordinal);
        for (int i = 0; i < texts.Length; i++)
        {
            // llama.cpp: token_to_id[word] = i, so a later duplicate text wins.
            _ids[texts[i]] = i;
            MaxTokenLength = Math.Max(MaxTokenLength, texts[i].Length);
            Attributes[i] = types[i] switch
            {
                TokenType.Normal => TokenAttributes.Normal,
                TokenType.Unknown => TokenAttributes.Unknown,
                TokenType.Control => TokenAttributes.Control,
                TokenType.UserDefined => TokenAttributes.UserDefined,
                TokenType.Unused => TokenAttributes.Unused,
                TokenType.Byte => TokenAttributes.Byte,
                _ => TokenAttributes.Undefined,
            };
        }
        _idsBySpan = _ids.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public string[] Texts { get; }

    public float[] Scores { get; }

    public TokenType[] Types { get; }

    /// <summary>Mutable during loading (llama.cpp's attribute overrides), read-only afterwards.</summary>
    public TokenAttributes[] Attributes { get; }

    /// <summary>Length in UTF-16 units of the longest token text.</summary>
    public int MaxTokenLength { get; }

    public int Count => Texts.Length;

    public int Find(ReadOnlySpan<char> text) => _idsBySpan.TryGetValue(text, out int id) ? id : -1;

    public int Find(string text) => _ids.TryGetValue(text, out int id) ? id : -1;

    /// <summary>
    /// The bytes llama.cpp's token_to_piece(special: true) gives for every token (its cache_token_to_piece):
    /// CONTROL/UNKNOWN/USER_DEFINED tokens are their raw text, NORMAL tokens are unescaped
    /// (▁ → space for SPM/WPM, the GPT-2 byte alphabet → bytes for BPE), BYTE tokens `&lt;0xNN&gt;` are one byte,
    /// UNUSED and UNDEFINED tokens are empty.
    /// </summary>
    public byte[][] BuildPieces(TokenizerKind kind)
    {
        var pieces = new byte[Count][];
        for (int id = 0; id < Count; id++)
        {
            pieces[id] = BuildPiece(id, kind);
        }
        return pieces;
    }

    private byte[] BuildPiece(int id, TokenizerKind kind)
    {
        string text = Texts[id];
        TokenAttributes attr = Attributes[id];
        if ((attr & (TokenAttributes.Unknown | TokenAttributes.Control | TokenAttributes.UserDefined)) != 0)
        {
            return Encoding.UTF8.GetBytes(text);
        }
        if ((attr & TokenAttributes.Normal) != 0)
        {
            return kind == TokenizerKind.Bpe
                ? Model.ByteLevelAlphabet.Decode(text)
                : Encoding.UTF8.GetBytes(text.Replace('\u2581', ' '));
        }
        if ((attr & TokenAttributes.Byte) != 0)
        {
            return [ParseByteToken(text, id)];
        }
        return [];
    }

    /// <summary>BYTE tokens are spelled `&lt;0xNN&gt;`; llama.cpp reads the two hex digits at offset 3.</summary>
    private static byte ParseByteToken(string text, int id)
    {
        if (text.Length >= 5 && byte.TryParse(text.AsSpan(3, 2), System.Globalization.NumberStyles.HexNumber, null, out byte b))
        {
            return b;
        }
        throw new InvalidDataException($"tokenizer.ggml.tokens[{id}] = '{text}' has type BYTE but is not spelled <0xNN>");
    }
}
