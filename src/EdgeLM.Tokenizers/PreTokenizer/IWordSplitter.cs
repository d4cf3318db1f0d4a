namespace EdgeLM.Tokenizers.PreTokenizer;

/// <summary>
/// One stage of a BPE pre-tokenizer. As in llama.cpp's unicode_regex_split, the text is a sequence of
/// code points cut into pieces (lengths in code points); each stage cuts every piece further and never
/// looks across piece boundaries.
/// </summary>
internal interface IWordSplitter
{
    /// <param name="cpts">All code points of the text.</param>
    /// <param name="pieces">Current piece lengths, summing to cpts.Length.</param>
    /// <param name="output">Receives the new piece lengths (not cleared).</param>
    void Split(ReadOnlySpan<int> cpts, List<int> pieces, List<int> output);
}
