using System.Text;
using EdgeLM.Tokenizers.PreTokenizer;

namespace EdgeLM.Tokenizers.Model;

/// <summary>
/// Byte-level BPE as llama.cpp runs it (llm_tokenizer_bpe_session): the pre-tokenizer cuts the text into
/// words; each word's UTF-8 bytes are spelled in GPT-2's byte alphabet (one char per byte); then the
/// adjacent pair with the lowest merge rank (ties: leftmost) is merged until no pair has a rank. A final
/// symbol that is not a token is emitted byte by byte, and a byte with no token is dropped, as in llama.cpp.
/// </summary>
internal sealed class BpeModel : ITokenizerModel
{
    private readonly Vocabulary _vocab;
    private readonly BpePreTokenizer _preTokenizer;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _ranks;

    public BpeModel(Vocabulary vocab, string[] merges, BpePreTokenizer preTokenizer)
    {
        _vocab = vocab;
        _preTokenizer = preTokenizer;
        var ranks = new Dictionary<string, int>(merges.Length, StringComparer.Ordinal);
        for (int i = 0; i < merges.Length; i++)
        {
            // llama.cpp splits "left right" at the first space at index >= 1 and keeps the first rank of a
            // duplicate pair (std::map::emplace); a line without such a space is the pair ("", "").
            string merge = merges[i];
            int space = merge.Length > 1 ? merge.IndexOf(' ', 1) : -1;
            ranks.TryAdd(space < 0 ? " " : merge, i);
        }
        _ranks = ranks.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public void Encode(ReadOnlySpan<char> text, List<int> output)
    {
        var cpts = new List<int>(text.Length);
        Codepoints.Decode(text, cpts);
        var words = new List<int>();
        _preTokenizer.Split(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(cpts), words, new List<int>());

        var word = new List<char>(64);
        var scratch = new Scratch();
        Span<byte> utf8 = stackalloc byte[4];
        int start = 0;
        foreach (int length in words)
        {
            word.Clear();
            for (int i = start; i < start + length; i++)
            {
                int n = new Rune(cpts[i]).EncodeToUtf8(utf8);
                for (int k = 0; k < n; k++)
                {
                    word.Add(ByteLevelAlphabet.ToChar(utf8[k]));
                }
            }
            start += length;
            EncodeWord(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(word), output, scratch);
        }
    }

    private void EncodeWord(ReadOnlySpan<char> word, List<int> output, Scratch s)
    {
        if (_preTokenizer.IgnoreMerges)
        {
            int whole = _vocab.Find(word);
            if (whole >= 0)
            {
                output.Add(whole);
                return;
            }
        }

        s.Symbols.Clear();
        for (int i = 0; i < word.Length; i++)
        {
            s.Symbols.Add(new Symbol { Start = i, Length = 1, Prev = i - 1, Next = i + 1 == word.Length ? -1 : i + 1 });
        }
        Span<Symbol> symbols = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(s.Symbols);
        s.Queue.Clear();
        for (int i = 1; i < symbols.Length; i++)
        {
            TryAddPair(word, symbols, i - 1, i, s);
        }

        while (s.Queue.TryDequeue(out Pair pair, out _))
        {
            ref Symbol left = ref symbols[pair.Left];
            ref Symbol right = ref symbols[pair.Right];
            // Symbols only grow, so unchanged lengths mean the pair is still the text it was ranked for.
            if (left.Length == 0 || right.Length == 0 || left.Length != pair.LeftLength || right.Length != pair.RightLength)
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
            TryAddPair(word, symbols, left.Prev, pair.Left, s);
            TryAddPair(word, symbols, pair.Left, left.Next, s);
        }

        foreach (ref readonly Symbol sym in symbols)
        {
            if (sym.Length == 0)
            {
                continue;
            }
            ReadOnlySpan<char> piece = word.Slice(sym.Start, sym.Length);
            int id = _vocab.Find(piece);
            if (id >= 0)
            {
                output.Add(id);
                continue;
            }
            for (int k = 0; k < piece.Length; k++)
            {
                int byteId = _vocab.Find(piece.Slice(k, 1));
                if (byteId >= 0)
                {
                    output.Add(byteId);
                }
            }
        }
    }

    private void TryAddPair(ReadOnlySpan<char> word, Span<Symbol> symbols, int left, int right, Scratch s)
    {
        if (left < 0 || right < 0)
        {
            return;
        }
        Symbol l = symbols[left];
        Symbol r = symbols[right];
        int keyLength = l.Length + 1 + r.Length;
        if (s.Key.Length < keyLength)
        {
            s.Key = new char[keyLength * 2];
        }
        word.Slice(l.Start, l.Length).CopyTo(s.Key);
        s.Key[l.Length] = ' ';
        word.Slice(r.Start, r.Length).CopyTo(s.Key.AsSpan(l.Length + 1));
        if (!_ranks.TryGetValue(s.Key.AsSpan(0, keyLength), out int rank))
        {
            return;
        }
        // Lowest rank first, then leftmost (llm_bigram_bpe::comparator).
        s.Queue.Enqueue(new Pair(left, right, l.Length, r.Length), ((long)rank << 32) | (uint)left);
    }

    private readonly record struct Pair(int Left, int Right, int LeftLength, int RightLength);

    private sealed class Scratch
    {
        public readonly List<Symbol> Symbols = new();
        public readonly PriorityQueue<Pair, long> Queue = new();
        public char[] Key = new char[64];
    }
}
