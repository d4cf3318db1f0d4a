using EdgeLM.Tokenizers.Normalizer;
using EdgeLM.Tokenizers.PreTokenizer;

namespace EdgeLM.Tokenizers.Model;

/// <summary>
/// WordPiece as llama.cpp runs it (llm_tokenizer_wpm_session): each normalized word gets the phantom
/// space ▁ in front, then is covered left to right by the longest token at each position. In llama.cpp's
/// GGUF vocabularies word-initial pieces carry ▁ and continuation pieces have lost their "##". A word that
/// cannot be covered completely becomes a single [UNK].
/// </summary>
internal sealed class WpmModel : ITokenizerModel
{
    private readonly Vocabulary _vocab;
    private readonly int _unknownId;
    private readonly bool _lowercase;
    private readonly bool _stripAccents;

    public WpmModel(Vocabulary vocab, int unknownId, bool lowercase, bool stripAccents)
    {
        _vocab = vocab;
        _unknownId = unknownId;
        _lowercase = lowercase;
        _stripAccents = stripAccents;
    }

    public void Encode(ReadOnlySpan<char> text, List<int> output)
    {
        var cpts = new List<int>(text.Length);
        Codepoints.Decode(text, cpts);
        foreach (string w in WpmNormalizer.Split(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(cpts), _lowercase, _stripAccents))
        {
            string word = "\u2581" + w;
            int before = output.Count;
            for (int i = 0; i < word.Length; i++)
            {
                bool match = false;
                for (int j = Math.Min(word.Length, i + _vocab.MaxTokenLength); j > i; j--)
                {
                    int id = _vocab.Find(word.AsSpan(i, j - i));
                    if (id >= 0)
                    {
                        output.Add(id);
                        match = true;
                        i = j - 1;
                        break;
                    }
                }
                if (!match)
                {
                    output.RemoveRange(before, output.Count - before);
                    break;
                }
            }
            if (output.Count == before)
            {
                output.Add(_unknownId);
            }
        }
    }
}
