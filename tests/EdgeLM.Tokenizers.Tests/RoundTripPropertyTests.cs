using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace EdgeLM.Tokenizers.Tests;

/// <summary>
/// FsCheck properties over arbitrary strings and byte sequences. What is asserted, per model type:
/// <list type="bullet">
/// <item>every vocabulary: Encode never throws, with or without special parsing, and every id is in range;</item>
/// <item>byte-level BPE (gpt-2, llama-bpe, qwen2): the concatenated token bytes are exactly the UTF-8 of the
/// text (lone surrogates read as U+FFFD), always;</item>
/// <item>BPE without space clean-up (qwen2): Decode(Encode(text)) == text;</item>
/// <item>SPM (llama-spm): Decode(Encode(text)) == text for text without U+2581 (▁, which SentencePiece uses
/// for the space) — the space prefix added by Encode is removed again by Decode.</item>
/// </list>
/// </summary>
public sealed class RoundTripPropertyTests
{
    private static readonly Config s_config = Config.QuickThrowOnFailure.WithMaxTest(300);

    private static Arbitrary<string> UnicodeStrings() =>
        Arb.From(Gen.OneOf(
            ArbMap.Default.GeneratorFor<string>().Where(s => s is not null),
            Gen.Elements(" ", "  ", "\n", "\t", "'s", "'LL", "é", "日本", "🙂", "\u200d", "123", "½", "<|im_end|>", "</s>", "<s>", "▁x", "\r\n", "ß", "\u0301")
                .ArrayOf().Select(a => string.Concat(a)),
            Gen.Choose(0, 0x10FFFF).Where(c => c < 0xD800 || c > 0xDFFF).Select(char.ConvertFromUtf32).ArrayOf().Select(a => string.Concat(a))));

    [Theory]
    [MemberData(nameof(VocabTestCases.All), MemberType = typeof(VocabTestCases))]
    public void Encoding_any_string_never_throws_and_gives_ids_in_range(string vocab)
    {
        Tokenizer tokenizer = TokenizerCache.Vocab(vocab);
        Prop.ForAll(UnicodeStrings(), text =>
        {
            foreach (bool parse in new[] { false, true })
            {
                int[] ids = tokenizer.Encode(text, addSpecial: true, parseSpecial: parse);
                Assert.All(ids, id => Assert.InRange(id, 0, tokenizer.VocabSize - 1));
                _ = tokenizer.Decode(ids, renderSpecial: parse);
            }
        }).Check(s_config);
    }

    [Theory]
    [MemberData(nameof(VocabTestCases.All), MemberType = typeof(VocabTestCases))]
    public void Encoding_any_bytes_never_throws(string vocab)
    {
        Tokenizer tokenizer = TokenizerCache.Vocab(vocab);
        Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), bytes =>
        {
            int[] ids = tokenizer.Encode(bytes ?? [], addSpecial: false);
            Assert.All(ids, id => Assert.InRange(id, 0, tokenizer.VocabSize - 1));
        }).Check(s_config);
    }

    [Theory]
    [InlineData("gpt-2")]
    [InlineData("llama-bpe")]
    [InlineData("qwen2")]
    public void Byte_level_bpe_token_bytes_concatenate_to_the_utf8_of_the_text(string vocab)
    {
        Tokenizer tokenizer = TokenizerCache.Vocab(vocab);
        Prop.ForAll(UnicodeStrings(), text =>
        {
            byte[] expected = Encoding.UTF8.GetBytes(text);
            byte[] actual = tokenizer.Encode(text, addSpecial: false).SelectMany(tokenizer.TokenBytes).ToArray();
            Assert.Equal(expected, actual);
        }).Check(s_config);
    }

    [Fact]
    public void Qwen2_decode_of_encode_is_the_text()
    {
        Tokenizer tokenizer = TokenizerCache.Vocab("qwen2");
        Prop.ForAll(UnicodeStrings(), text =>
        {
            string valid = Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text));
            Assert.Equal(valid, tokenizer.Decode(tokenizer.Encode(text, addSpecial: false)));
        }).Check(s_config);
    }

    [Fact]
    public void Llama_spm_decode_of_encode_is_the_text_without_the_sentencepiece_space_mark()
    {
        Tokenizer tokenizer = TokenizerCache.Vocab("llama-spm");
        Prop.ForAll(UnicodeStrings(), text =>
        {
            string valid = Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text));
            if (valid.Contains('\u2581'))
            {
                return;
            }
            Assert.Equal(valid, tokenizer.Decode(tokenizer.Encode(text, addSpecial: false)));
        }).Check(s_config);
    }

    [Fact]
    public void Streaming_decoder_output_equals_decode_for_any_text()
    {
        foreach (string vocab in new[] { "llama-spm", "qwen2" })
        {
            Tokenizer tokenizer = TokenizerCache.Vocab(vocab);
            Prop.ForAll(UnicodeStrings(), text =>
            {
                int[] ids = tokenizer.Encode(text, addSpecial: true);
                StreamingDecoder decoder = tokenizer.CreateStreamingDecoder();
                var sb = new StringBuilder();
                foreach (int id in ids)
                {
                    string part = decoder.Push(id);
                    Assert.False(part.Length > 0 && char.IsHighSurrogate(part[^1]), "a pushed chunk ends inside a surrogate pair");
                    sb.Append(part);
                }
                sb.Append(decoder.Flush());
                Assert.Equal(tokenizer.Decode(ids), sb.ToString());
            }).Check(s_config);
        }
    }
}
