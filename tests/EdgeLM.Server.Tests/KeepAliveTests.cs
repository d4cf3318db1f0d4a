using System.Text;
using System.Text.Json.Nodes;
using EdgeLM.TestSupport;

namespace EdgeLM.Server.Tests;

/// <summary>
/// --models-dir: models load on first use, show in /api/ps with their expiry, and follow Ollama's keep_alive
/// (negative: stay loaded; a duration: expire that long after the request; 0: unload when the request is done).
/// </summary>
public sealed class KeepAliveTests : IDisposable
{
    private const string Name = "tiny-llama-Q4_0";
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("edgelm-keepalive-");
    private readonly ServerProcess _server;
    private readonly HttpClient _http;

    public KeepAliveTests()
    {
        File.Copy(TestData.Models(Name + ".gguf"), Path.Combine(_dir.FullName, Name + ".gguf"));
        _server = new ServerProcess("--models-dir", _dir.FullName, "--port", "0", "--parallel", "1", "-c", "256", "-t", "1");
        _http = _server.Client(null);
    }

    public void Dispose()
    {
        _http.Dispose();
        _server.Dispose();
        _dir.Delete(recursive: true);
    }

    private async Task<JsonNode> Generate(string body)
    {
        using var response = await _http.PostAsync("/api/generate", new StringContent(body, Encoding.UTF8, "application/json"));
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonNode.Parse(text)!;
    }

    private async Task<JsonArray> Loaded() => (JsonArray)JsonNode.Parse(await _http.GetStringAsync("/api/ps"))!["models"]!;

    [Fact]
    public async Task Keep_alive_loads_keeps_expires_and_unloads_an_on_demand_model()
    {
        Assert.Empty(await Loaded());

        var load = await Generate($$"""{"model":"{{Name}}","prompt":"","keep_alive":-1}""");
        Assert.Equal("load", (string?)load["done_reason"]);
        var ps = Assert.Single(await Loaded());
        Assert.Equal(Name, (string?)ps!["name"]);
        Assert.StartsWith("9999-", (string?)ps["expires_at"]);

        var before = DateTimeOffset.UtcNow;
        var reply = await Generate($$$"""{"model":"{{{Name}}}","prompt":"hello","stream":false,"options":{"num_predict":2},"keep_alive":"10m"}""");
        Assert.True((bool)reply["done"]!);
        var expires = DateTimeOffset.Parse((string)Assert.Single(await Loaded())!["expires_at"]!);
        Assert.InRange(expires, before.AddMinutes(10), DateTimeOffset.UtcNow.AddMinutes(10).AddSeconds(5));

        var stop = await Generate($$"""{"model":"{{Name}}","prompt":"","keep_alive":0}""");
        Assert.Equal("unload", (string?)stop["done_reason"]);
        Assert.Empty(await Loaded());

        // used again, it loads again with the server's default idle time (300 s)
        await Generate($$$"""{"model":"{{{Name}}}","prompt":"hi","stream":false,"options":{"num_predict":1}}""");
        Assert.Single(await Loaded());
    }

    [Theory]
    [InlineData("\"soon\"")]
    [InlineData("\"5x\"")]
    [InlineData("true")]
    [InlineData("[1]")]
    public async Task A_malformed_keep_alive_is_a_400_naming_it(string value)
    {
        using var response = await _http.PostAsync("/api/generate",
            new StringContent($$"""{"model":"{{Name}}","prompt":"","keep_alive":{{value}}}""", Encoding.UTF8, "application/json"));
        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains("keep_alive", await response.Content.ReadAsStringAsync());
    }
}
