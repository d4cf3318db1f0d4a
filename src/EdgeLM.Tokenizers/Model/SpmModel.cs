using System.Runtime.InteropServices;
using System.Text;

namespace EdgeLM.Tokenizers.Model;

/// <summary>
/// SentencePiece BPE as llama.cpp runs it (llm_tokenizer_spm_session): the text (spaces already escaped
/// to U+2581 ▁) starts as one symbol per code point; the adjacent pair whose concatenation is a token with
/// the highest score (ties: leftmost) is merged until none is left. A final symbol that is not a token is
/// emitted as its UTF-8 bytes with the byte tokens &lt;0xNN&gt;.
/// </summary>
internal sealed class SpmModel : ITokenizerModel
{
    private readonly Vocabulary _vocab;
    private readonly int[] _byteTokens;

    public SpmModel(Vocabulary vocab, int unknownId)
    {
        _vocab = vocab;
        _byteTokens = new int[256];
        for (int b = 0; b < 256; b++)
        {
            // llama.cpp's byte_to_token: "<0xNN>" (upper-case hex), else the byte itself as a one-char token.
            int id = vocab.Find($"<0x{b:X2}>");
            if (id < 0 && b < 0x80)
            {
                id = vocab.Find(((char)b).ToString());
            }
            // llama.cpp throws (std::out_of_range) here; a vocabulary without byte tokens gets <unk> instead.
            _byteTokens[b] = id >= 0 ? id : unknownId;
        }
    }

    public void Encode(ReadOnlySpan<char> text, List<int> output)
    {
        if (text.IsEmpty)
        {
            return;
        }
        var symbolList = new List<Symbol>(text.Length);
        int index = 0;
        for (int i = 0; i < text.Length;)
        {
            int len = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
            symbolList.Add(new Symbol { Start = i, Length = len, Prev = index - 1, Next = i + len == text.Length ? -1 : index + 1 });
            i += len;
            index++;
        }
        Span<Symbol> symbols = CollectionsMarshal.AsSpan(symbolList);

        var queue = new PriorityQueue<Pair, ulong>();
        for (int i = 1; i < symbols.Length; i++)
        {
            TryAddPair(text, symbols, i - 1, i, queue);
        }

        while (queue.TryDequeue(out Pair pair, out _))
        {
            ref Symbol left = ref symbols[pair.Left];
            ref Symbol right = ref symbols[pair.Right];
            if (left.Length == 0 || right.Length == 0 || left.Length + right.Length != pair.Size)
            {
                continue;
            }
            left.Length += right.Length;
            right.Length = 0;
            left.Next = right.Next;
            if (right.Next >= 0)
            {
                symbols[right.Next].Prev = pair.Left;
            }
            TryAddPair(text, symbols, left.Prev, pair.Left, queue);
            TryAddPair(text, symbols, pair.Left, left.Next, queue);
        }

        Span<byte> utf8 = stackalloc byte[4];
        for (int i = 0; i != -1; i = symbols[i].Next)
        {
            ReadOnlySpan<char> piece = text.Slice(symbols[i].Start, symbols[i].Length);
            int id = _vocab.Find(piece);
            if (id >= 0)
            {
                output.Add(id);
                continue;
            }
            // Every merged symbol is a token, so only a single code point can get here.
            Rune.DecodeFromUtf16(piece, out Rune r, out _);
            int n = r.EncodeToUtf8(utf8);
            for (int k = 0; k < n; k++)
            {
                output.Add(_byteTokens[utf8[k]]);
            }
        }
    }

    private void TryAddPair(ReadOnlySpan<char> text, Span<Symbol> symbols, int left, int right, PriorityQueue<Pair, ulong> queue)
    {
        if (left < 0 || right < 0)
        {
            return;
        }
        int start = symbols[left].Start;
        int size = symbols[left].Length + symbols[right].Length;
        int id = _vocab.Find(text.Slice(start, size));
        if (id < 0)
        {
            return;
        }
        queue.Enqueue(new Pair(left, right, size), Priority(_vocab.Scores[id], left));
    }

    /// <summary>
    /// Highest score first, then leftmost (llm_bigram_spm::comparator), packed in one integer for a min-heap:
    /// the high half is the score's bits flipped so that larger floats sort first.
    /// </summary>
    private static ulong Priority(float score, int left)
    {
        if (score == 0)
        {
            score = 0; // -0 and +0 compare equal in C++.
        }
        uint bits = BitConverter.SingleToUInt32Bits(score);
        uint ascending = (bits & 0x80000000u) != 0 ? ~bits : bits | 0x80000000u;
        return ((ulong)(uint.MaxValue - ascending) << 32) | (uint)left;
    }

    private readonly record struct Pair(int Left, int Right, int Size);
}
