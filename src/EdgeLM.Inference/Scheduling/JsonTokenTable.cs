using System.Runtime.CompilerServices;
using EdgeLM.Tokenizers;

namespace EdgeLM.Inference.Scheduling;

/// <summary>
/// Every token's UTF-8 bytes, computed once per tokenizer for JSON-constrained sampling (the mask checks many
/// candidates per step, so the pieces must not be re-decoded each time). Control tokens map to null: they never
/// belong inside JSON text.
/// </summary>
internal sealed class JsonTokenTable
{
    private static readonly ConditionalWeakTable<Tokenizer, JsonTokenTable> s_tables = new();

    private JsonTokenTable(Tokenizer tokenizer)
    {
        Pieces = new byte[]?[tokenizer.VocabSize];
        for (int id = 0; id < Pieces.Length; id++)
        {
            var type = tokenizer.TypeOf(id);
            if (type is TokenType.Control or TokenType.Unknown or TokenType.Unused)
                continue;
            var bytes = tokenizer.TokenBytes(id);
            Pieces[id] = bytes.Length == 0 ? null : bytes;
        }
    }

    public byte[]?[] Pieces { get; }

    public static JsonTokenTable For(Tokenizer tokenizer) => s_tables.GetValue(tokenizer, t => new JsonTokenTable(t));
}
