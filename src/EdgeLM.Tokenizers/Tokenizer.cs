using System.Text;
using EdgeLM.Tokenizers.Model;

namespace EdgeLM.Tokenizers;

/// <summary>
/// A tokenizer built from a GGUF file's `tokenizer.ggml.*` metadata that gives the same token ids as
/// llama.cpp's llama_tokenize and the same text as its llama_detokenize. Thread-safe: all state is
/// read-only after <see cref="FromGguf"/>.
/// </summary>
public sealed partial class Tokenizer
{
    private readonly Vocabulary _vocab;
    private readonly ITokenizerModel _model;
    private readonly SpecialTokenPartitioner _partitioner;
    private readonly byte[][] _pieces;
    private readonly bool _cleanSpaces;
    private readonly int? _sepId;

    public TokenizerKind Kind { get; }

    /// <summary>Number of ids, i.e. the length of `tokenizer.ggml.tokens`.</summary>
    public int VocabSize => _vocab.Count;

    public int? BosId { get; }

    public int? EosId { get; }

    /// <summary>End of turn: `tokenizer.ggml.eot_token_id`, else the first of llama.cpp's known names present.</summary>
    public int? EotId { get; }

    public int? EomId { get; }

    public int? PadId { get; }

    public int? UnkId { get; }

    /// <summary>Tokens that end generation, by llama.cpp's rules (eos, eot, eom, FIM pad/repo/sep, and known end-marker names).</summary>
    public IReadOnlySet<int> EndOfGenerationIds { get; }

    /// <summary>Whether <see cref="Encode(string, bool, bool)"/> with addSpecial puts BOS first.</summary>
    public bool AddBos { get; }

    /// <summary>Whether <see cref="Encode(string, bool, bool)"/> with addSpecial puts EOS last.</summary>
    public bool AddEos { get; }

    /// <summary>SentencePiece's space prefix (`tokenizer.ggml.add_space_prefix`; default true for SPM).</summary>
    public bool AddSpacePrefix { get; }

    /// <summary>The BPE pre-tokenizer in use (llama.cpp's type name), or null for SPM/WPM.</summary>
    public string? PreTokenizer { get; }

    public TokenType TypeOf(int id) => _vocab.Types[CheckId(id)];

    /// <summary>The token's text as stored in the vocabulary (e.g. "▁Hello", "Ġworld", "&lt;0x0A&gt;").</summary>
    public string TokenText(int id) => _vocab.Texts[CheckId(id)];

    /// <summary>
    /// The bytes this token stands for, special tokens included (llama.cpp's token_to_piece with special = true).
    /// A token can be part of a UTF-8 character (byte tokens, byte-level BPE pieces).
    /// </summary>
    public byte[] TokenBytes(int id) => (byte[])_pieces[CheckId(id)].Clone();

    /// <summary><see cref="TokenBytes"/> as text; bytes that are not complete UTF-8 become U+FFFD.</summary>
    public string TokenToPiece(int id) => Encoding.UTF8.GetString(_pieces[CheckId(id)]);

    /// <summary>Finds the id of a token by its exact vocabulary text.</summary>
    public int? FindToken(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int id = _vocab.Find(text);
        return id >= 0 ? id : null;
    }

    public int[] Encode(string text, bool addSpecial = true, bool parseSpecial = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Encode(text.AsSpan(), addSpecial, parseSpecial);
    }

    public int[] Encode(ReadOnlySpan<char> text, bool addSpecial = true, bool parseSpecial = false)
    {
        var output = new List<int>();
        EncodeInto(text, output, addSpecial, parseSpecial);
        return output.ToArray();
    }

    /// <summary>
    /// Tokenizes UTF-8 bytes. Invalid sequences are read the way llama.cpp's unicode_cpts_from_utf8 reads them:
    /// each offending byte is one U+FFFD.
    /// </summary>
    public int[] Encode(ReadOnlySpan<byte> utf8, bool addSpecial = true, bool parseSpecial = false) =>
        Encode(LenientUtf8.Decode(utf8).AsSpan(), addSpecial, parseSpecial);

    /// <summary>The one tokenization path every overload ends in (llama.cpp's llama_vocab::impl::tokenize).</summary>
    public void EncodeInto(ReadOnlySpan<char> text, List<int> output, bool addSpecial = true, bool parseSpecial = false)
    {
        ArgumentNullException.ThrowIfNull(output);
        string? repaired = LenientUtf8.ReplaceLoneSurrogates(text);
        if (repaired is not null)
        {
            text = repaired.AsSpan();
        }
        List<Fragment> fragments = _partitioner.Partition(text, parseSpecial);
        switch (Kind)
        {
            case TokenizerKind.Spm:
                EncodeSpm(text, fragments, addSpecial, output);
                break;
            case TokenizerKind.Bpe:
                if (addSpecial && AddBos)
                {
                    output.Add(BosId ?? throw new InvalidOperationException("add_bos_token is set but the vocabulary has no BOS id"));
                }
                EncodeFragments(text, fragments, output);
                if (addSpecial && AddEos)
                {
                    output.Add(EosId ?? throw new InvalidOperationException("add_eos_token is set but the vocabulary has no EOS id"));
                }
                break;
            default:
                // WordPiece: llama.cpp always wraps in [CLS] … [SEP] when adding special tokens.
                if (addSpecial)
                {
                    output.Add(BosId ?? throw new InvalidOperationException("the WordPiece vocabulary has no CLS/BOS id"));
                }
                EncodeFragments(text, fragments, output);
                if (addSpecial)
                {
                    output.Add(_sepId ?? throw new InvalidOperationException("the WordPiece vocabulary has no SEP id"));
                }
                break;
        }
    }

    private void EncodeSpm(ReadOnlySpan<char> text, List<Fragment> fragments, bool addSpecial, List<int> output)
    {
        if (addSpecial && AddBos)
        {
            output.Add(BosId ?? throw new InvalidOperationException("add_bos_token is set but the vocabulary has no BOS id"));
        }
        // llama.cpp prefixes a space to the first text fragment and to every fragment after a special token.
        bool previousWasSpecial = true;
        var buffer = new StringBuilder();
        foreach (Fragment f in fragments)
        {
            if (!f.IsText)
            {
                output.Add(f.Token);
                previousWasSpecial = true;
                continue;
            }
            buffer.Clear();
            if (AddSpacePrefix && previousWasSpecial)
            {
                buffer.Append(' ');
            }
            buffer.Append(text.Slice(f.Start, f.Length));
            buffer.Replace(' ', '\u2581');
            _model.Encode(buffer.ToString().AsSpan(), output);
            previousWasSpecial = false;
        }
        if (addSpecial && AddEos)
        {
            output.Add(EosId ?? throw new InvalidOperationException("add_eos_token is set but the vocabulary has no EOS id"));
        }
    }

    private void EncodeFragments(ReadOnlySpan<char> text, List<Fragment> fragments, List<int> output)
    {
        foreach (Fragment f in fragments)
        {
            if (f.IsText)
            {
                _model.Encode(text.Slice(f.Start, f.Length), output);
            }
            else
            {
                output.Add(f.Token);
            }
        }
    }

    private int CheckId(int id)
    {
        if ((uint)id >= (uint)_vocab.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(id), id, $"token id {id} is outside the vocabulary (0..{_vocab.Count - 1})");
        }
        return id;
    }
}
