using System.Text;
using EdgeLM.Tokenizers.Decoding;

namespace EdgeLM.Tokenizers;

/// <summary>Token ids back to text, as llama.cpp's llama_detokenize(remove_special: false).</summary>
public sealed partial class Tokenizer
{
    /// <summary>
    /// The text of <paramref name="ids"/>: the pieces concatenated, the SentencePiece space prefix removed from
    /// the first piece, llama.cpp's clean-up of spaces before punctuation for vocabularies that ask for it,
    /// then read as UTF-8 (incomplete characters become U+FFFD).
    /// </summary>
    /// <param name="renderSpecial">Render CONTROL and UNKNOWN tokens as their text; when false they are dropped.</param>
    public string Decode(IEnumerable<int> ids, bool renderSpecial = false)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var bytes = new List<byte>();
        bool first = true;
        foreach (int id in ids)
        {
            AppendPiece(id, renderSpecial, first, bytes);
            first = false;
        }
        byte[] text = bytes.ToArray();
        int length = _cleanSpaces ? SpaceCleaner.Clean(text) : text.Length;
        return Encoding.UTF8.GetString(text, 0, length);
    }

    /// <summary>A decoder that turns ids into text one at a time, never splitting a UTF-8 character.</summary>
    /// <param name="renderSpecial">Render CONTROL and UNKNOWN tokens as their text.</param>
    /// <param name="atTextStart">The first id starts the text, so its SentencePiece space prefix is removed (as in
    /// <see cref="Decode"/>). False for generated continuations, whose pieces are concatenated as they are
    /// (llama.cpp's token_to_piece).</param>
    public StreamingDecoder CreateStreamingDecoder(bool renderSpecial = false, bool atTextStart = true) => new(this, renderSpecial, atTextStart);

    /// <summary>
    /// Appends the bytes one token contributes to a detokenized text (llama.cpp's token_to_piece): nothing for
    /// CONTROL/UNKNOWN tokens unless rendered, and for the first token one leading space fewer when the
    /// vocabulary adds a space prefix.
    /// </summary>
    internal void AppendPiece(int id, bool renderSpecial, bool isFirst, List<byte> output)
    {
        CheckId(id);
        if (!renderSpecial && (_vocab.Attributes[id] & (TokenAttributes.Control | TokenAttributes.Unknown)) != 0)
        {
            return;
        }
        ReadOnlySpan<byte> piece = _pieces[id];
        if (isFirst && AddSpacePrefix && !piece.IsEmpty && piece[0] == (byte)' ')
        {
            piece = piece[1..];
        }
        foreach (byte b in piece)
        {
            output.Add(b);
        }
    }
}
