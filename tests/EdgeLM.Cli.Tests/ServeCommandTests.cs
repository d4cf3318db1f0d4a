using EdgeLM.TestSupport;

namespace EdgeLM.Cli.Tests;

/// <summary>`edgelm serve` refuses bad setups with one clear line before listening.</summary>
public sealed class ServeCommandTests
{
    [Fact]
    public void A_model_that_cannot_fit_in_memory_is_refused_before_loading()
    {
        var r = EdgeLmProcess.Run("serve", "-m", TestData.Models("tiny-qwen2-Q8_0.gguf"), "--port", "0", "--parallel", "256", "-c", "50000000");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("KV cache", r.StdErr);
        Assert.Contains("lower --parallel or -c", r.StdErr);
        Assert.DoesNotContain("listening", r.StdOut);
    }

    [Theory]
    [InlineData("--port", "70000", "--port")]
    [InlineData("--parallel", "0", "--parallel")]
    [InlineData("--models-dir", "/nonexistent/edgelm-models", "--models-dir")]
    public void Bad_arguments_get_one_error_line(string option, string value, string mentioned)
    {
        var r = EdgeLmProcess.Run("serve", "-m", TestData.Models("tiny-qwen2-Q8_0.gguf"), option, value);
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith("error: ", r.StdErr);
        Assert.Contains(mentioned, r.StdErr);
    }
}

public sealed class ServeShutdownTests
{
    [Fact]
    public void Serve_stops_cleanly_on_sigterm()
    {
        using var server = new EdgeLM.TestSupport.ServerProcess("-m", EdgeLM.TestSupport.TestData.Models("tiny-llama-Q8_0.gguf"), "--port", "0", "-t", "1");
        Assert.Equal(0, server.Terminate());
        Assert.Contains("stopping", server.StdErr);
    }
}
