namespace EdgeLM.Tokenizers.Tests;

public sealed class StreamingDecoderTests
{
    [Fact]
    public void Byte_fallback_tokens_of_one_character_are_held_until_the_character_is_complete()
    {
        // tiny-llama has no piece for 🙂 (F0 9F 99 82): it is the byte tokens <0xF0> <0x9F> <0x99> <0x82>.
        Tokenizer tokenizer = TokenizerCache.Model("tiny-llama-Q8_0.gguf");
        int[] ids = tokenizer.Encode("a🙂", addSpecial: false);
        Assert.Equal([3 + 0xF0, 3 + 0x9F, 3 + 0x99, 3 + 0x82], ids[^4..]);

        StreamingDecoder decoder = tokenizer.CreateStreamingDecoder();
        Assert.Equal("a", string.Concat(ids[..^4].Select(decoder.Push)));
        Assert.Equal("", decoder.Push(ids[^4]));
        Assert.Equal("", decoder.Push(ids[^3]));
        Assert.Equal("", decoder.Push(ids[^2]));
        Assert.Equal("🙂", decoder.Push(ids[^1]));
        Assert.Equal("", decoder.Flush());
    }

    [Fact]
    public void Flush_replaces_an_unfinished_character()
    {
        Tokenizer tokenizer = TokenizerCache.Model("tiny-llama-Q8_0.gguf");
        StreamingDecoder decoder = tokenizer.CreateStreamingDecoder();
        Assert.Equal("", decoder.Push(3 + 0xE6));
        Assert.Equal("\uFFFD", decoder.Flush());
    }

    [Fact]
    public void Byte_level_bpe_pieces_split_inside_a_character_are_joined()
    {
        Tokenizer tokenizer = TokenizerCache.Model("tiny-qwen2-Q8_0.gguf");
        int[] ids = tokenizer.Encode("東京", addSpecial: false);
        Assert.True(ids.Length > 2, "the cut vocabulary spells these characters with byte pieces");
        StreamingDecoder decoder = tokenizer.CreateStreamingDecoder();
        var parts = ids.Select(decoder.Push).ToList();
        Assert.All(parts, p => Assert.DoesNotContain('\uFFFD', p));
        Assert.Equal("東京", string.Concat(parts) + decoder.Flush());
    }

    [Fact]
    public void Control_tokens_are_rendered_only_when_asked()
    {
        Tokenizer tokenizer = TokenizerCache.Model("tiny-qwen2-Q8_0.gguf");
        Assert.Equal("", tokenizer.CreateStreamingDecoder().Push(4095));
        Assert.Equal("<|im_end|>", tokenizer.CreateStreamingDecoder(renderSpecial: true).Push(4095));
    }
}
