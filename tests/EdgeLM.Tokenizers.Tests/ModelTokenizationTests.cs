using System.Text.Json;
using EdgeLM.TestSupport;

namespace EdgeLM.Tokenizers.Tests;

/// <summary>The tiny test models tokenize like llama.cpp (golden/README.md and models/README.md "Tokenizers").</summary>
public sealed class ModelTokenizationTests
{
    public static TheoryData<string> GoldenFiles()
    {
        var data = new TheoryData<string>();
        foreach (string path in Directory.GetFiles(TestData.File("golden"), "*.json").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(path));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(GoldenFiles))]
    public void Golden_prompt_tokenizes_to_the_recorded_prompt_tokens(string goldenFile)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(TestData.File("golden", goldenFile)));
        JsonElement root = doc.RootElement;
        string model = root.GetProperty("model").GetString()!;
        string prompt = root.GetProperty("prompt").GetString()!;
        bool addBos = root.GetProperty("add_bos").GetBoolean();
        int nPrompt = root.GetProperty("n_prompt").GetInt32();
        int[] expected = root.GetProperty("tokens").EnumerateArray().Take(nPrompt).Select(e => e.GetInt32()).ToArray();

        Tokenizer tokenizer = TokenizerCache.Model(model);
        Assert.Equal(addBos, tokenizer.AddBos);
        Assert.Equal(expected, tokenizer.Encode(prompt, addSpecial: true, parseSpecial: false));
    }

    [Theory]
    [InlineData("tiny-qwen2-Q8_0.gguf")]
    [InlineData("tiny-qwen3-Q8_0.gguf")]
    public void Qwen_chat_prompt_with_special_parsing_matches_llama_cpp(string model)
    {
        Tokenizer tokenizer = TokenizerCache.Model(model);
        string rendered = "<|im_start|>system\nYou are a test.<|im_end|>\n<|im_start|>user\nHi!<|im_end|>\n<|im_start|>assistant\n";
        int[] expected = [4094, 82, 612, 198, 2610, 525, 264, 1273, 13, 4095, 198, 4094, 872, 198, 39, 72, 0, 4095, 198, 4094, 395, 380, 517, 198];
        Assert.Equal(expected, tokenizer.Encode(rendered, addSpecial: true, parseSpecial: true));
    }

    [Fact]
    public void Phi3_chat_prompt_swallows_the_newline_after_rstrip_tokens()
    {
        Tokenizer tokenizer = TokenizerCache.Model("tiny-phi3-Q8_0.gguf");
        string rendered = "<|system|>\nYou are a test.<|end|>\n<|user|>\nHi!<|end|>\n<|assistant|>\n";
        int[] expected = [1, 4091, 887, 526, 263, 1243, 49, 4092, 4095, 379, 108, 36, 4092, 4086];
        Assert.Equal(expected, tokenizer.Encode(rendered, addSpecial: true, parseSpecial: true));
    }

    [Fact]
    public void Control_token_text_is_plain_text_without_special_parsing()
    {
        Tokenizer tokenizer = TokenizerCache.Model("tiny-qwen2-Q8_0.gguf");
        int[] ids = tokenizer.Encode("<|im_start|>", addSpecial: false, parseSpecial: false);
        Assert.DoesNotContain(4094, ids);
        Assert.Equal("<|im_start|>", tokenizer.Decode(ids));
    }

    [Fact]
    public void Special_ids_and_flags_of_the_tiny_models_match_the_readme()
    {
        Tokenizer llama = TokenizerCache.Model("tiny-llama-Q8_0.gguf");
        Assert.Equal((TokenizerKind.Spm, 1, 2, 0, true, false), (llama.Kind, llama.BosId, llama.EosId, llama.UnkId, llama.AddBos, llama.AddEos));
        Assert.Equal([2], llama.EndOfGenerationIds);

        Tokenizer phi3 = TokenizerCache.Model("tiny-phi3-Q8_0.gguf");
        Assert.Equal((1, 4085, 4085, 4092), (phi3.BosId, phi3.EosId, phi3.PadId, phi3.EotId));
        Assert.Equal([2, 4085, 4092], phi3.EndOfGenerationIds);

        Tokenizer qwen = TokenizerCache.Model("tiny-qwen2-Q8_0.gguf");
        Assert.Equal((TokenizerKind.Bpe, 4093, 4095, 4093, 4095, false), (qwen.Kind, qwen.BosId, qwen.EosId, qwen.PadId, qwen.EotId, qwen.AddBos));
        Assert.Equal([4093, 4095], qwen.EndOfGenerationIds);
        Assert.Equal("qwen2", qwen.PreTokenizer);
    }

    [Fact]
    public void End_of_generation_sets_of_the_big_vocabularies_match_llama_cpp()
    {
        Assert.Equal([128001, 128009], TokenizerCache.Vocab("llama-bpe").EndOfGenerationIds);
        // llama.cpp also takes the ordinary BPE token "</s>" (128247) as EOG and forces it to CONTROL.
        Tokenizer qwen = TokenizerCache.Vocab("qwen2");
        Assert.Equal([128247, 151643, 151645, 151662, 151663, 151664], qwen.EndOfGenerationIds);
        Assert.Equal("", qwen.Decode([128247]));
        Assert.Equal("</s>", qwen.Decode([128247], renderSpecial: true));
    }

    [Theory]
    [InlineData("baichuan", TokenizerKind.Spm)]
    [InlineData("gpt-neox", TokenizerKind.Bpe)]
    public void Vocabularies_without_pre_tokenizer_key_load_and_tokenize(string vocab, TokenizerKind kind)
    {
        Tokenizer tokenizer = TokenizerCache.Vocab(vocab);
        Assert.Equal(kind, tokenizer.Kind);
        int[] ids = tokenizer.Encode("Hello world 123", addSpecial: false);
        Assert.NotEmpty(ids);
        Assert.Equal("Hello world 123", tokenizer.Decode(ids));
    }

    [Fact]
    public void Missing_pre_tokenizer_uses_the_default_splitting_not_mpt()
    {
        // Same tokens and merges; llama.cpp's 'default' pre-tokenizer splits digits and punctuation runs first.
        Tokenizer neox = TokenizerCache.Vocab("gpt-neox");
        Tokenizer mpt = TokenizerCache.Vocab("mpt");
        Assert.Equal("default", neox.PreTokenizer);
        Assert.NotEqual(mpt.Encode("   Hello 12345", false), neox.Encode("   Hello 12345", false));
    }
}
