namespace EdgeLM.Tokenizers;

/// <summary>The tokenizer algorithm named by GGUF `tokenizer.ggml.model`.</summary>
public enum TokenizerKind
{
    /// <summary>`llama`: SentencePiece BPE by piece score, with byte fallback.</summary>
    Spm,

    /// <summary>`gpt2`: byte-level BPE by merge rank, after a regex pre-tokenizer.</summary>
    Bpe,

    /// <summary>`bert`: WordPiece, greedy longest match.</summary>
    Wpm,
}
