namespace EdgeLM.Tokenizers.Model;

/// <summary>
/// A run of the text being merged, linked to its neighbours (llama.cpp's llm_symbol). A merged-away
/// symbol keeps Length 0.
/// </summary>
internal struct Symbol
{
    public int Start;
    public int Length;
    public int Prev;
    public int Next;
}
