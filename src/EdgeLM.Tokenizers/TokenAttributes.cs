namespace EdgeLM.Tokenizers;

/// <summary>
/// Per-token attribute bits, the same bits llama.cpp derives from the token type (llama_token_attr):
/// the partitioner and the detokenizer look at these, not at the stored type, because llama.cpp
/// overrides them after loading (control-looking EOG tokens become CONTROL, phi-3 tokens get RSTRIP).
/// </summary>
[Flags]
internal enum TokenAttributes
{
    Undefined = 0,
    Unknown = 1 << 0,
    Unused = 1 << 1,
    Normal = 1 << 2,
    Control = 1 << 3,
    UserDefined = 1 << 4,
    Byte = 1 << 5,
    Normalized = 1 << 6,
    LStrip = 1 << 7,
    RStrip = 1 << 8,
    SingleWord = 1 << 9,
}
