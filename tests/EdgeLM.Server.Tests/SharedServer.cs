using EdgeLM.TestSupport;

namespace EdgeLM.Server.Tests;

/// <summary>
/// The server most tests share: tiny-qwen2 (ChatML template) and tiny-phi3 under an alias, 16 slots, 1024-token
/// context, an API key, a 64 KiB body limit.
/// </summary>
public sealed class SharedServer : IDisposable
{
    public const string Key = "test-key-123";
    public const string Model = "tiny-qwen2-Q8_0";
    public const string Phi = "phi";
    public const int Context = 1024;

    public SharedServer()
    {
        Process = new ServerProcess("-m", TestData.Models("tiny-qwen2-Q8_0.gguf"), "-m", "phi=" + TestData.Models("tiny-phi3-Q8_0.gguf"),
            "--port", "0", "--parallel", "16", "-c", Context.ToString(), "--api-key", Key, "--max-body-kb", "64", "-t", "2");
        Http = Process.Client(Key);
    }

    public ServerProcess Process { get; }

    public HttpClient Http { get; }

    public string Url => Process.Url;

    public void Dispose()
    {
        Http.Dispose();
        Process.Dispose();
    }
}
