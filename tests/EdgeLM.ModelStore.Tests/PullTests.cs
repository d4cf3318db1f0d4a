using EdgeLM.Gguf;
using EdgeLM.TestSupport;

namespace EdgeLM.ModelStore.Tests;

public sealed class PullTests : IAsyncLifetime
{
    private const string Repo = "acme/Tiny-GGUF";
    private static readonly byte[] s_q8 = File.ReadAllBytes(TestData.Models("tiny-llama-Q8_0.gguf"));
    private static readonly byte[] s_q4 = File.ReadAllBytes(TestData.Models("tiny-llama-Q4_K_M.gguf"));

    private readonly TempDir _dir = new();
    private readonly HttpClient _client = ModelPuller.CreateHttpClient();
    private FakeHub _hub = null!;

    public async ValueTask InitializeAsync()
    {
        _hub = await FakeHub.StartAsync();
        _hub.Files[$"{Repo}/tiny-Q8_0.gguf"] = s_q8;
        _hub.Files[$"{Repo}/tiny-Q4_K_M.gguf"] = s_q4;
    }

    public async ValueTask DisposeAsync()
    {
        await _hub.DisposeAsync();
        _client.Dispose();
        _dir.Dispose();
    }

    private ModelStore Store => new(_dir.Path);

    private Task<PullResult> Pull(string source, string? token = null, int attempts = 3, TimeSpan? lockTimeout = null) =>
        new ModelPuller(Store, _client).PullAsync(source, new PullOptions
        {
            Endpoint = _hub.Endpoint,
            Token = token,
            MaxAttempts = attempts,
            LockTimeout = lockTimeout ?? TimeSpan.FromMinutes(1),
        }, TestContext.Current.CancellationToken);

    private IEnumerable<string> FilesInStore() => Directory.EnumerateFiles(_dir.Path, "*", SearchOption.AllDirectories);

    [Fact]
    public async Task Pull_by_quant_tag_stores_the_verified_bytes_under_model_and_tag()
    {
        var result = await Pull($"hf.co/{Repo}:q8_0");

        Assert.Equal("tiny:q8_0", result.Model.Name.ToString());
        Assert.Equal(s_q8, File.ReadAllBytes(result.Model.Path));
        var file = Assert.Single(result.Files);
        Assert.True(file.Verified);
        Assert.Equal(FakeHub.Sha256Hex(s_q8), file.Sha256);
        Assert.DoesNotContain(FilesInStore(), f => f.EndsWith(".partial") || f.EndsWith(".lock"));
        Assert.Contains(_hub.HubRequests, r => r.Path == $"/api/models/{Repo}");
        Assert.Equal("tiny:q8_0", new ModelResolver(Store).ResolveModel("tiny:q8_0").DisplayName);
    }

    [Fact]
    public async Task Pull_without_a_tag_takes_Q4_K_M()
    {
        var result = await Pull($"hf.co/{Repo}");
        Assert.Equal("tiny:q4_k_m", result.Model.Name.ToString());
        Assert.Equal(s_q4, File.ReadAllBytes(result.Model.Path));
    }

    [Fact]
    public async Task Pull_of_a_file_path_skips_the_listing()
    {
        var result = await Pull($"hf.co/{Repo}/tiny-Q4_K_M.gguf");
        Assert.Equal(s_q4, File.ReadAllBytes(result.Model.Path));
        Assert.DoesNotContain(_hub.HubRequests, r => r.Path.StartsWith("/api/"));
    }

    [Fact]
    public async Task Token_goes_to_the_hub_but_not_to_the_cdn_after_the_redirect()
    {
        _hub.RequiredToken = "secret";
        var result = await Pull($"hf.co/{Repo}:Q8_0", token: "secret");

        Assert.Equal(s_q8, File.ReadAllBytes(result.Model.Path));
        Assert.All(_hub.HubRequests, r => Assert.Equal("Bearer secret", r.Authorization));
        Assert.NotEmpty(_hub.CdnRequests);
        Assert.All(_hub.CdnRequests, r => Assert.Null(r.Authorization));
    }

    [Fact]
    public async Task Interrupted_download_keeps_the_partial_file_and_the_next_pull_resumes_with_a_range()
    {
        _hub.CutAfterBytes = 1_000_000;
        _hub.CutsLeft = 1;

        var e = await Assert.ThrowsAsync<PullException>(() => Pull($"hf.co/{Repo}:Q8_0", attempts: 1));
        Assert.Contains("run the same pull again", e.Message);
        string partial = Assert.Single(FilesInStore(), f => f.EndsWith(".gguf.partial"));
        // The server cut after 1 MB; what arrived before the abort is kept (the tail in flight may be lost).
        long kept = new FileInfo(partial).Length;
        Assert.InRange(kept, 1, 1_000_000);

        var result = await Pull($"hf.co/{Repo}:Q8_0", attempts: 1);
        Assert.Equal(s_q8, File.ReadAllBytes(result.Model.Path));
        Assert.True(result.Files[0].Resumed);
        Assert.True(result.Files[0].Verified);
        Assert.Contains(_hub.CdnRequests, r => r.Range == $"bytes={kept}-");
        Assert.False(File.Exists(partial));
    }

    [Fact]
    public async Task A_dropped_connection_is_resumed_within_the_same_pull()
    {
        _hub.CutAfterBytes = 700_000;
        _hub.CutsLeft = 2;

        var result = await Pull($"hf.co/{Repo}:Q8_0", attempts: 3);

        Assert.Equal(s_q8, File.ReadAllBytes(result.Model.Path));
        var ranges = _hub.CdnRequests.Select(r => r.Range).ToList();
        Assert.Equal(3, ranges.Count);
        Assert.Null(ranges[0]);
        Assert.StartsWith("bytes=", ranges[1]);
        Assert.StartsWith("bytes=", ranges[2]);
        Assert.True(long.Parse(ranges[2]![6..^1]) > long.Parse(ranges[1]![6..^1]));
    }

    [Fact]
    public async Task Hash_mismatch_is_refused_and_nothing_is_left_in_the_store()
    {
        _hub.AnnouncedHashOverride = new string('a', 64);

        var e = await Assert.ThrowsAsync<PullException>(() => Pull($"hf.co/{Repo}:Q8_0"));

        Assert.Contains("SHA-256 mismatch", e.Message);
        Assert.Contains(new string('a', 64), e.Message);
        Assert.DoesNotContain(FilesInStore(), f => f.EndsWith(".gguf") || f.EndsWith(".partial"));
        Assert.Empty(Store.List());
    }

    [Fact]
    public async Task Without_an_announced_hash_the_computed_one_is_kept_in_a_sidecar()
    {
        _hub.AnnouncedHashOverride = "";

        var result = await Pull($"hf.co/{Repo}:Q8_0");

        Assert.False(result.Files[0].Verified);
        string sidecar = File.ReadAllText(result.Model.Path + ".sha256");
        Assert.StartsWith(FakeHub.Sha256Hex(s_q8) + "  tiny-Q8_0.gguf", sidecar);
    }

    [Fact]
    public async Task Missing_file_is_a_404_error_naming_the_url()
    {
        var e = await Assert.ThrowsAsync<PullException>(() => Pull($"hf.co/{Repo}/nope-Q2_K.gguf"));
        Assert.Equal(404, e.StatusCode);
        Assert.Contains($"/{Repo}/resolve/main/nope-Q2_K.gguf", e.Message);
        Assert.Contains("not found", e.Message);
        Assert.Empty(Store.List());
    }

    [Fact]
    public async Task Missing_repository_is_a_404_error()
    {
        var e = await Assert.ThrowsAsync<PullException>(() => Pull("hf.co/acme/none:Q8_0"));
        Assert.Equal(404, e.StatusCode);
        Assert.Contains("/api/models/acme/none", e.Message);
    }

    [Fact]
    public async Task Private_repository_without_a_token_says_HF_TOKEN_is_needed()
    {
        _hub.RequiredToken = "secret";
        var e = await Assert.ThrowsAsync<PullException>(() => Pull($"hf.co/{Repo}/tiny-Q8_0.gguf"));
        Assert.Equal(401, e.StatusCode);
        Assert.Contains("HF_TOKEN", e.Message);
    }

    [Fact]
    public async Task Unknown_quantization_lists_what_the_repository_has()
    {
        var e = await Assert.ThrowsAsync<PullException>(() => Pull($"hf.co/{Repo}:Q6_K"));
        Assert.Contains("tiny-Q8_0.gguf", e.Message);
        Assert.Contains("tiny-Q4_K_M.gguf", e.Message);
    }

    [Fact]
    public async Task A_pull_waits_for_the_lock_held_by_another_and_reports_when_it_stays_held()
    {
        string dir = Store.DirectoryOf(new ModelName("tiny", "q8_0"));
        Directory.CreateDirectory(dir);
        using (new FileStream(Path.Combine(dir, "tiny-Q8_0.gguf.lock"), FileMode.Create, FileAccess.ReadWrite, FileShare.None))
        {
            var e = await Assert.ThrowsAsync<PullException>(() => Pull($"hf.co/{Repo}:Q8_0", lockTimeout: TimeSpan.FromMilliseconds(300)));
            Assert.Contains("another pull", e.Message);
        }
        Assert.Empty(_hub.CdnRequests);
        var result = await Pull($"hf.co/{Repo}:Q8_0");
        Assert.Equal(s_q8, File.ReadAllBytes(result.Model.Path));
    }

    [Fact]
    public async Task Concurrent_pulls_of_the_same_file_both_end_with_the_right_bytes()
    {
        var pulls = Enumerable.Range(0, 3).Select(_ => Task.Run(() => Pull($"hf.co/{Repo}:Q8_0"))).ToArray();
        var results = await Task.WhenAll(pulls);

        Assert.All(results, r => Assert.Equal(s_q8, File.ReadAllBytes(r.Model.Path)));
        Assert.Single(Store.List());
        Assert.DoesNotContain(FilesInStore(), f => f.EndsWith(".partial"));
    }

    [Fact]
    public async Task A_split_model_in_the_repository_is_pulled_shard_by_shard_and_loads_as_one()
    {
        using var src = new TempDir();
        var shards = SplitFiles.Write(TestData.Models("tiny-llama-Q8_0.gguf"), src.Path, "tiny-Q8_0", 3);
        foreach (string s in shards)
            _hub.Files[$"acme/Split-GGUF/Q8_0/{Path.GetFileName(s)}"] = File.ReadAllBytes(s);

        var result = await Pull("hf.co/acme/Split-GGUF:Q8_0");

        Assert.Equal(3, result.Model.Shards.Count);
        using var whole = EdgeLM.Gguf.GgufFile.Open(TestData.Models("tiny-llama-Q8_0.gguf"));
        using var split = SplitGguf.Open(result.Model.Path);
        Assert.Equal(whole.Tensors.Count, split.Tensors.Count);
    }

    [Fact]
    public async Task A_partial_file_longer_than_the_remote_one_is_discarded_and_downloaded_again()
    {
        string dir = Store.DirectoryOf(new ModelName("tiny", "q8_0"));
        Directory.CreateDirectory(dir);
        File.WriteAllBytes(Path.Combine(dir, "tiny-Q8_0.gguf.partial"), new byte[s_q8.Length + 10]);

        var result = await Pull($"hf.co/{Repo}:Q8_0");

        Assert.Equal(s_q8, File.ReadAllBytes(result.Model.Path));
        Assert.Contains(_hub.CdnRequests, r => r.Range == $"bytes={s_q8.Length + 10}-");
    }

    [Fact]
    public async Task A_plain_url_is_pulled_and_named_after_the_file()
    {
        var url = new Uri(_hub.Endpoint, $"/{Repo}/resolve/main/tiny-Q8_0.gguf");

        var result = await Pull(url.ToString());

        Assert.Equal("tiny:q8_0", result.Model.Name.ToString());
        Assert.Equal(s_q8, File.ReadAllBytes(result.Model.Path));
        Assert.True(result.Files[0].Verified);
        Assert.DoesNotContain(_hub.HubRequests, r => r.Path.StartsWith("/api/"));
    }
}
