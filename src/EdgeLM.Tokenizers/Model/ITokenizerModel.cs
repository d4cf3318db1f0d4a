namespace EdgeLM.Tokenizers.Model;

/// <summary>Tokenizes one fragment of raw text (special tokens already cut out) and appends the ids.</summary>
internal interface ITokenizerModel
{
    void Encode(ReadOnlySpan<char> text, List<int> output);
}
