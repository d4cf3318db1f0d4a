namespace EdgeLM.Tokenizers;

/// <summary>
/// Token types as stored in GGUF `tokenizer.ggml.token_type` (int32 per token):
/// 1 NORMAL, 2 UNKNOWN, 3 CONTROL, 4 USER_DEFINED, 5 UNUSED, 6 BYTE; anything else is UNDEFINED (0).
/// </summary>
public enum TokenType
{
    Undefined = 0,
    Normal = 1,
    Unknown = 2,
    Control = 3,
    UserDefined = 4,
    Unused = 5,
    Byte = 6,
}
