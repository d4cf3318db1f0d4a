using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using EdgeLM.TestSupport;

namespace EdgeLM.Cli.Tests;

/// <summary>`edgelm pull/list/show/rm` run as the real program against a loopback hub and a temporary store.</summary>
public sealed class StoreCommandTests : IDisposable
{
    private static readonly byte[] s_model = File.ReadAllBytes(TestData.Models("tiny-llama-Q8_0.gguf"));

    private readonly string _store = Path.Combine(Path.GetTempPath(), "edgelm-cli-store-" + Guid.NewGuid().ToString("N"));
    private readonly HttpListener _listener = new();
    private readonly Task _serving;

    public StoreCommandTests()
    {
        Directory.CreateDirectory(_store);
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Endpoint = $"http://127.0.0.1:{port}";
        _listener.Prefixes.Add(Endpoint + "/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    private string Endpoint { get; }

    public void Dispose()
    {
        _listener.Close();
        try { _serving.Wait(TimeSpan.FromSeconds(10)); } catch (AggregateException) { }
        Directory.Delete(_store, recursive: true);
    }

    /// <summary>The hub, minimally: a listing of one repository and its file with the SHA-256 in ETag.</summary>
    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext ctx;
            try { ctx = await _listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            using var response = ctx.Response;
            string path = ctx.Request.Url!.AbsolutePath;
            byte[] body;
            if (path == "/api/models/acme/Tiny-GGUF")
                body = Encoding.UTF8.GetBytes("""{"siblings":[{"rfilename":"README.md"},{"rfilename":"tiny-Q8_0.gguf"}]}""");
            else if (path == "/acme/Tiny-GGUF/resolve/main/tiny-Q8_0.gguf")
            {
                body = s_model;
                response.Headers["ETag"] = "\"" + Convert.ToHexStringLower(SHA256.HashData(s_model)) + "\"";
            }
            else
            {
                response.StatusCode = 404;
                continue;
            }
            response.ContentLength64 = body.Length;
            try { await response.OutputStream.WriteAsync(body); } catch (HttpListenerException) { }
        }
    }

    private ProcessResult Run(params string[] args) =>
        EdgeLmProcess.Run(args, environment: new Dictionary<string, string> { ["EDGELM_MODELS"] = _store, ["HF_TOKEN"] = "" });

    [Fact]
    public void Pull_then_list_show_and_rm_work_on_the_stored_model()
    {
        var pull = Run("pull", "hf.co/acme/Tiny-GGUF:Q8_0", "--endpoint", Endpoint);
        Assert.True(pull.ExitCode == 0, pull.StdErr);
        Assert.Equal("tiny:q8_0", pull.StdOut.Trim());
        Assert.Contains("verified", pull.StdErr);
        string stored = Path.Combine(_store, "tiny", "q8_0", "tiny-Q8_0.gguf");
        Assert.Equal(s_model, File.ReadAllBytes(stored));

        var list = Run("list");
        Assert.Equal(0, list.ExitCode);
        Assert.Contains("tiny:q8_0", list.StdOut);
        Assert.Contains("Q8_0", list.StdOut);
        Assert.Contains("llama", list.StdOut);
        Assert.Contains("2.3 MiB", list.StdOut);

        var show = Run("show", "tiny:q8_0", "-c", "1024");
        Assert.True(show.ExitCode == 0, show.StdErr);
        Assert.Contains("architecture      llama", show.StdOut);
        Assert.Contains("quantization      Q8_0", show.StdOut);
        Assert.Contains("KV cache for 1024 tokens", show.StdOut);
        Assert.Contains("Chat template", show.StdOut);

        var rm = Run("rm", "tiny:q8_0");
        Assert.True(rm.ExitCode == 0, rm.StdErr);
        Assert.False(File.Exists(stored));
        Assert.DoesNotContain("tiny:q8_0", Run("list").StdOut);
    }

    [Fact]
    public void Show_runs_a_gguf_path_where_it_lies()
    {
        var show = Run("show", TestData.Models("tiny-qwen3-Q8_0.gguf"));
        Assert.True(show.ExitCode == 0, show.StdErr);
        Assert.Contains("architecture      qwen3", show.StdOut);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_store));
    }

    [Fact]
    public void Pull_of_a_missing_file_prints_one_error_line_naming_the_url()
    {
        var r = Run("pull", "hf.co/acme/Tiny-GGUF/missing-Q2_K.gguf", "--endpoint", Endpoint);
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith("error: ", r.StdErr.Trim().Split('\n')[^1]);
        Assert.Contains("404", r.StdErr);
        Assert.Contains(Endpoint + "/acme/Tiny-GGUF/resolve/main/missing-Q2_K.gguf", r.StdErr);
        Assert.DoesNotContain("   at ", r.StdErr);
    }

    [Fact]
    public void Rm_refuses_a_file_outside_the_store()
    {
        string outside = TestData.Models("tiny-llama-Q8_0.gguf");
        var r = Run("rm", outside);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("not in the model store", r.StdErr);
        Assert.True(File.Exists(outside));
    }

    [Fact]
    public void Unknown_model_name_suggests_stored_names()
    {
        string dir = Path.Combine(_store, "tiny", "q8_0");
        Directory.CreateDirectory(dir);
        File.Copy(TestData.Models("tiny-llama-Q8_0.gguf"), Path.Combine(dir, "tiny-Q8_0.gguf"));

        var r = Run("show", "tiny:q4_k_m");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("no model named 'tiny:q4_k_m'", r.StdErr);
        Assert.Contains("tiny:q8_0", r.StdErr);
    }
}
