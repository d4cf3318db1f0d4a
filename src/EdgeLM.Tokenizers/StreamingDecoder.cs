using System.Text;

namespace EdgeLM.Tokenizers;

/// <summary>
/// Incremental detokenizer for generation: <see cref="Push"/> returns the text that became complete with
/// this token. Bytes of a UTF-8 character split across tokens (byte-fallback &lt;0xNN&gt; tokens, byte-level
/// BPE pieces) are held back until the character is complete; <see cref="Flush"/> returns what is left,
/// with U+FFFD for an incomplete character. Concatenating every Push and the Flush gives the same text as
/// <see cref="Tokenizer.Decode"/> for vocabularies without space clean-up.
/// </summary>
public sealed class StreamingDecoder
{
    private readonly Tokenizer _tokenizer;
    private readonly bool _renderSpecial;
    private readonly List<byte> _pending = new();
    private bool _first;

    internal StreamingDecoder(Tokenizer tokenizer, bool renderSpecial, bool atTextStart)
    {
        _tokenizer = tokenizer;
        _renderSpecial = renderSpecial;
        _first = atTextStart;
    }

    public string Push(int id)
    {
        _tokenizer.AppendPiece(id, _renderSpecial, _first, _pending);
        _first = false;
        int complete = CompletePrefixLength(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_pending));
        if (complete == 0)
        {
            return string.Empty;
        }
        string text = Encoding.UTF8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_pending)[..complete]);
        _pending.RemoveRange(0, complete);
        return text;
    }

    public string Flush()
    {
        string text = Encoding.UTF8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_pending));
        _pending.Clear();
        return text;
    }

    /// <summary>
    /// Length of the prefix that can be emitted now: everything except a trailing lead byte whose
    /// continuation bytes have not all arrived. Invalid bytes are emitted (as U+FFFD) rather than held.
    /// </summary>
    private static int CompletePrefixLength(ReadOnlySpan<byte> bytes)
    {
        int n = bytes.Length;
        // A character is at most 4 bytes: only the last 3 can belong to an unfinished one.
        for (int back = 1; back <= Math.Min(3, n); back++)
        {
            byte b = bytes[n - back];
            if ((b & 0xC0) == 0x80)
            {
                continue;
            }
            int needed = (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : (b & 0xF8) == 0xF0 ? 4 : 1;
            return needed > back ? n - back : n;
        }
        return n;
    }
}
