using EdgeLM.TestSupport;

namespace EdgeLM.ModelStore.Tests;

public sealed class ResolverTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly ModelStore _store;

    public ResolverTests()
    {
        _store = new ModelStore(_dir.Combine("store"));
        Put("qwen3-0.6b", "q4_k_m", "tiny-qwen3-Q4_K_M.gguf");
        Put("qwen3-0.6b", "q8_0", "tiny-qwen3-Q8_0.gguf");
        Put("llama", "q8_0", "tiny-llama-Q8_0.gguf");
    }

    public void Dispose() => _dir.Dispose();

    private void Put(string model, string tag, string file)
    {
        string dir = _store.DirectoryOf(new ModelName(model, tag));
        Directory.CreateDirectory(dir);
        File.Copy(TestData.Models(file), Path.Combine(dir, file));
    }

    private ResolvedModel Resolve(string s) => new ModelResolver(_store).ResolveModel(s);

    [Fact]
    public void A_stored_name_resolves_to_its_file()
    {
        var r = Resolve("qwen3-0.6b:q8_0");
        Assert.Equal(_store.DirectoryOf(new ModelName("qwen3-0.6b", "q8_0")), Path.GetDirectoryName(r.Path));
        Assert.Equal("qwen3-0.6b:q8_0", r.DisplayName);
        Assert.Equal([r.Path], r.Shards);
        Assert.NotNull(r.Stored);
    }

    [Fact]
    public void Names_are_case_insensitive()
    {
        Assert.Equal("qwen3-0.6b:q4_k_m", Resolve("Qwen3-0.6B:Q4_K_M").DisplayName);
    }

    [Fact]
    public void A_name_without_tag_resolves_when_one_tag_is_stored()
    {
        Assert.Equal("llama:q8_0", Resolve("llama").DisplayName);
    }

    [Fact]
    public void A_name_without_tag_and_several_tags_lists_them()
    {
        var e = Assert.Throws<ModelNotFoundException>(() => Resolve("qwen3-0.6b"));
        Assert.Contains("qwen3-0.6b:q4_k_m", e.Message);
        Assert.Contains("qwen3-0.6b:q8_0", e.Message);
    }

    [Fact]
    public void A_path_is_used_where_it_lies()
    {
        string path = TestData.Models("tiny-llama-Q8_0.gguf");
        var r = Resolve(path);
        Assert.Equal(Path.GetFullPath(path), r.Path);
        Assert.Null(r.Stored);
        Assert.Equal("tiny-llama-Q8_0", r.DisplayName);
    }

    [Fact]
    public void A_shard_path_resolves_to_all_shards()
    {
        var shards = SplitFiles.Write(TestData.Models("tiny-llama-Q8_0.gguf"), _dir.Path, "big", 2);
        var r = Resolve(shards[1]);
        Assert.Equal(shards, r.Shards);
        Assert.Equal(shards[0], r.Path);
    }

    [Fact]
    public void An_unknown_name_lists_close_matches()
    {
        var e = Assert.Throws<ModelNotFoundException>(() => Resolve("qwen3-0.6b:q5_k_m"));
        Assert.Contains("did you mean", e.Message);
        Assert.Contains("qwen3-0.6b:q4_k_m", e.CloseMatches);
        Assert.DoesNotContain("llama:q8_0", e.CloseMatches);

        var typo = Assert.Throws<ModelNotFoundException>(() => Resolve("lama:q8_0"));
        Assert.Contains("llama:q8_0", typo.CloseMatches);
    }

    [Fact]
    public void A_missing_gguf_path_is_a_file_not_found_error_naming_it()
    {
        var e = Assert.Throws<FileNotFoundException>(() => Resolve(_dir.Combine("nope.gguf")));
        Assert.Contains("nope.gguf", e.Message);
    }

    [Fact]
    public void List_shows_every_stored_model_and_rm_removes_only_inside_the_store()
    {
        Assert.Equal(["llama:q8_0", "qwen3-0.6b:q4_k_m", "qwen3-0.6b:q8_0"], _store.Names());
        var llama = _store.Find(new ModelName("llama", "q8_0"))!;
        _store.Remove(llama);
        Assert.False(Directory.Exists(Path.GetDirectoryName(llama.Directory)));
        Assert.Equal(2, _store.List().Count);

        var outside = new StoredModel(new ModelName("x", "y"), [TestData.Models("tiny-llama-Q8_0.gguf")], 1, DateTime.UtcNow);
        Assert.Throws<UnauthorizedAccessException>(() => _store.Remove(outside));
        Assert.True(File.Exists(TestData.Models("tiny-llama-Q8_0.gguf")));
    }

    [Fact]
    public void The_store_folder_comes_from_EDGELM_MODELS_or_the_user_data_folder()
    {
        string? old = Environment.GetEnvironmentVariable(ModelStore.EnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(ModelStore.EnvironmentVariable, _dir.Path);
            Assert.Equal(_dir.Path, ModelStore.Default().Root);
            Environment.SetEnvironmentVariable(ModelStore.EnvironmentVariable, null);
            Assert.EndsWith(Path.Combine("edgelm", "models"), ModelStore.Default().Root);
        }
        finally
        {
            Environment.SetEnvironmentVariable(ModelStore.EnvironmentVariable, old);
        }
    }
}
