namespace EdgeLM.ModelStore.Tests;

public sealed class SourceAndNameTests
{
    [Fact]
    public void Hub_source_with_quant_is_parsed()
    {
        var s = PullSource.Parse("hf.co/Qwen/Qwen3-0.6B-GGUF:Q4_K_M");
        Assert.Equal(("Qwen", "Qwen3-0.6B-GGUF", null, "Q4_K_M"), (s.Organization, s.Repository, s.FilePath, s.Quant));
    }

    [Fact]
    public void Hub_source_with_file_path_is_parsed()
    {
        var s = PullSource.Parse("huggingface.co/org/repo/sub/m-Q8_0.gguf");
        Assert.Equal(("org", "repo", "sub/m-Q8_0.gguf", null), (s.Organization, s.Repository, s.FilePath, s.Quant));
    }

    [Fact]
    public void Plain_url_is_parsed()
    {
        var s = PullSource.Parse("https://example.org/files/Phi-3-mini-Q4_0.gguf");
        Assert.True(s.IsUrl);
        Assert.Equal("Phi-3-mini-Q4_0.gguf", s.FilePath);
    }

    [Theory]
    [InlineData("qwen3")]
    [InlineData("hf.co/onlyorg")]
    [InlineData("hf.co/org/repo/README.md")]
    [InlineData("hf.co/org/../x.gguf")]
    [InlineData("https://example.org/page.html")]
    public void Bad_sources_are_refused_with_the_source_named(string source)
    {
        var e = Assert.Throws<ArgumentException>(() => PullSource.Parse(source));
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
    }

    [Theory]
    [InlineData("Qwen3-0.6B-GGUF", "Qwen3-0.6B-Q4_K_M.gguf", "Q4_K_M", "qwen3-0.6b:q4_k_m")]
    [InlineData("Qwen3-0.6B-GGUF", "Qwen3-0.6B-Q8_0.gguf", null, "qwen3-0.6b:q8_0")]
    [InlineData(null, "Phi-3-mini-4k-instruct-IQ2_XXS.gguf", null, "phi-3-mini-4k-instruct:iq2_xxs")]
    [InlineData(null, "model-BF16-00001-of-00002.gguf", null, "model:bf16")]
    [InlineData(null, "weights.gguf", null, "weights:latest")]
    public void Pulled_files_are_named_model_colon_quant(string? repo, string file, string? quant, string expected)
    {
        Assert.Equal(expected, ModelName.ForPulledFile(repo, file, quant).ToString());
    }

    [Theory]
    [InlineData("../etc")]
    [InlineData("a/b")]
    [InlineData("")]
    public void Names_that_could_leave_the_store_are_not_names(string text)
    {
        Assert.Null(ModelName.TryParse(text));
    }

    [Fact]
    public void The_quant_tag_picks_the_whole_token_not_a_longer_one()
    {
        string[] files = ["m-Q4_K.gguf", "m-Q4_K_M.gguf", "m-Q4_K_S.gguf", "README.md"];
        Assert.Equal(["m-Q4_K.gguf"], QuantFileSelector.Select(files, "q4_k", "o/r"));
        Assert.Equal(["m-Q4_K_M.gguf"], QuantFileSelector.Select(files, "Q4_K_M", "o/r"));
        Assert.Equal(["m-Q4_K_M.gguf"], QuantFileSelector.Select(files, null, "o/r"));
    }

    [Fact]
    public void Projector_files_are_not_candidates_and_shards_count_as_one()
    {
        string[] files = ["mmproj-Q8_0.gguf", "Q8_0/m-Q8_0-00002-of-00002.gguf", "Q8_0/m-Q8_0-00001-of-00002.gguf"];
        Assert.Equal(["Q8_0/m-Q8_0-00001-of-00002.gguf", "Q8_0/m-Q8_0-00002-of-00002.gguf"], QuantFileSelector.Select(files, "Q8_0", "o/r"));
    }

    [Fact]
    public void Several_matches_are_an_error_listing_them()
    {
        string[] files = ["a-Q8_0.gguf", "b-Q8_0.gguf"];
        var e = Assert.Throws<PullException>(() => QuantFileSelector.Select(files, "Q8_0", "o/r"));
        Assert.Contains("a-Q8_0.gguf", e.Message);
        Assert.Contains("b-Q8_0.gguf", e.Message);
    }

    [Theory]
    [InlineData("\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("W/\"E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855\"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("\"0123456789abcdef0123456789abcdef01234567\"", null)]
    [InlineData("\"zz3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b8\"", null)]
    public void Only_64_hex_digit_etags_count_as_a_sha256(string etag, string? expected)
    {
        Assert.Equal(expected, Sha256Text.FromETag(etag));
    }
}
