using EdgeLM.Tokenizers;

namespace EdgeLM.Inference;

/// <summary>
/// The one way EdgeLM turns prompt text into tokens, shared by run, chat and serve so that the same text gives
/// the same tokens everywhere. BOS/EOS follow the metadata; when special-token parsing is on and the text already
/// starts with the BOS token (chat templates often write it), no second BOS is added.
/// </summary>
public static class PromptEncoding
{
    public static int[] Encode(Tokenizer tokenizer, string text, bool parseSpecial)
    {
        var tokens = tokenizer.Encode(text, addSpecial: true, parseSpecial: parseSpecial);
        if (parseSpecial && tokenizer.AddBos && tokens.Length >= 2 && tokens[0] == tokenizer.BosId && tokens[1] == tokenizer.BosId)
            return tokens[1..];
        return tokens;
    }
}
