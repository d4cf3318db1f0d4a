using EdgeLM.Gguf;

namespace EdgeLM.Tokenizers.Tests;

public sealed class TokenizerApiTests
{
    [Fact]
    public void Spm_adds_bos_and_the_space_prefix()
    {
        Tokenizer tokenizer = TokenizerCache.Vocab("llama-spm");
        Assert.Equal([1, 15043, 3186], tokenizer.Encode("Hello world"));
        Assert.Equal([259], tokenizer.Encode(" ", addSpecial: false));
        Assert.Empty(tokenizer.Encode("", addSpecial: false));
    }

    [Fact]
    public void Token_pieces_and_types_follow_the_vocabulary()
    {
        Tokenizer tokenizer = TokenizerCache.Vocab("llama-spm");
        Assert.Equal(TokenType.Control, tokenizer.TypeOf(1));
        Assert.Equal(TokenType.Byte, tokenizer.TypeOf(3 + 0x0A));
        Assert.Equal(" Hello", tokenizer.TokenToPiece(15043));
        Assert.Equal([(byte)'\n'], tokenizer.TokenBytes(3 + 0x0A));
        Assert.Equal("<s>", tokenizer.TokenToPiece(1));
        Assert.Equal("Hello world", tokenizer.Decode([1, 15043, 3186]).TrimStart());
        Assert.Equal("<s> Hello", tokenizer.Decode([1, 15043], renderSpecial: true));
    }

    [Fact]
    public void Out_of_range_ids_throw_naming_the_id()
    {
        Tokenizer tokenizer = TokenizerCache.Vocab("llama-spm");
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => tokenizer.Decode([32000]));
        Assert.Contains("32000", ex.Message);
    }

    [Fact]
    public void Gpt2_decode_cleans_spaces_before_punctuation_like_llama_cpp()
    {
        Tokenizer tokenizer = TokenizerCache.Vocab("gpt-2");
        Assert.Equal("Hello, world. I'm here", tokenizer.Decode(tokenizer.Encode("Hello , world . I 'm here", addSpecial: false)));
    }

    [Fact]
    public void Mpt_user_defined_space_runs_match_without_special_parsing()
    {
        Tokenizer tokenizer = TokenizerCache.Vocab("mpt");
        Assert.Equal([50275, 12092], tokenizer.Encode("   Hello", addSpecial: false, parseSpecial: false));
    }

    [Fact]
    public void Metadata_without_tokenizer_throws_naming_the_key()
    {
        var metadata = new GgufMetadata();
        metadata.Set("general.architecture", GgufValue.FromString("llama"));
        var ex = Assert.Throws<InvalidDataException>(() => Tokenizer.FromGguf(metadata));
        Assert.Contains("tokenizer.ggml.model", ex.Message);
    }

    [Fact]
    public void Unknown_pre_tokenizer_throws_naming_it()
    {
        var metadata = new GgufMetadata();
        metadata.Set("tokenizer.ggml.model", GgufValue.FromString("gpt2"));
        metadata.Set("tokenizer.ggml.pre", GgufValue.FromString("no-such-pre"));
        var ex = Assert.Throws<NotSupportedException>(() => Tokenizer.FromGguf(metadata));
        Assert.Contains("no-such-pre", ex.Message);
    }
}
