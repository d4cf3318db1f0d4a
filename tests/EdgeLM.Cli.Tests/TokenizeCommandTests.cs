using System.Text.Json;
using EdgeLM.TestSupport;

namespace EdgeLM.Cli.Tests;

/// <summary>`edgelm tokenize`, run as a real process.</summary>
public sealed class TokenizeCommandTests
{
    private static string Vocab(string name) => TestData.File("vocab", $"ggml-vocab-{name}.gguf");

    [Fact]
    public void Ids_output_adds_bos_as_the_model_says()
    {
        var r = EdgeLmProcess.Run("tokenize", "-m", Vocab("llama-spm"), "-p", "Hello world", "--ids");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("1 15043 3186", r.StdOut.TrimEnd('\n'));
    }

    [Fact]
    public void No_bos_adds_no_special_tokens()
    {
        var r = EdgeLmProcess.Run("tokenize", "-m", Vocab("llama-spm"), "-p", "Hello world", "--ids", "--no-bos");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("15043 3186", r.StdOut.TrimEnd('\n'));
    }

    [Fact]
    public void Default_output_prints_one_token_per_line_with_its_piece()
    {
        var r = EdgeLmProcess.Run("tokenize", "-m", Vocab("llama-spm"), "-p", "Hello world");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(["1 -> '<s>'", "15043 -> ' Hello'", "3186 -> ' world'"], r.StdOut.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void Special_parses_control_token_text()
    {
        string model = TestData.Models("tiny-qwen2-Q8_0.gguf");
        var plain = EdgeLmProcess.Run("tokenize", "-m", model, "-p", "<|im_end|>", "--ids");
        var special = EdgeLmProcess.Run("tokenize", "-m", model, "-p", "<|im_end|>", "--ids", "--special");
        Assert.Equal("4095", special.StdOut.TrimEnd('\n'));
        Assert.NotEqual("4095", plain.StdOut.TrimEnd('\n'));
    }

    [Fact]
    public void Json_output_has_tokens_and_pieces()
    {
        var r = EdgeLmProcess.Run("tokenize", "-m", Vocab("gpt-2"), "-p", "Hello world", "--json");
        Assert.Equal(0, r.ExitCode);
        using JsonDocument doc = JsonDocument.Parse(r.StdOut);
        Assert.Equal([15496, 995], doc.RootElement.GetProperty("tokens").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(["Hello", " world"], doc.RootElement.GetProperty("pieces").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void File_input_is_tokenized_byte_for_byte_including_the_final_newline()
    {
        string path = Path.Combine(Path.GetTempPath(), $"edgelm-tokenize-{Guid.NewGuid():N}.txt");
        File.WriteAllText(path, "Hello world\n");
        try
        {
            var r = EdgeLmProcess.Run("tokenize", "-m", Vocab("gpt-2"), "-f", path, "--ids");
            Assert.Equal(0, r.ExitCode);
            Assert.Equal("15496 995 198", r.StdOut.TrimEnd('\n'));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Stdin_is_read_when_no_text_is_given()
    {
        var r = EdgeLmProcess.Run(["tokenize", "-m", Vocab("gpt-2"), "--ids"], stdin: "Hello world");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal("15496 995", r.StdOut.TrimEnd('\n'));
    }

    [Fact]
    public void Missing_model_file_fails_with_one_line_naming_it()
    {
        var r = EdgeLmProcess.Run("tokenize", "-m", "/nonexistent/model.gguf", "-p", "x");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("/nonexistent/model.gguf", r.StdErr);
        Assert.DoesNotContain("   at ", r.StdErr + r.StdOut);
    }

    [Fact]
    public void Non_gguf_file_fails_without_a_stack_trace()
    {
        var r = EdgeLmProcess.Run("tokenize", "-m", TestData.File("vocab", "README.md"), "-p", "x");
        Assert.NotEqual(0, r.ExitCode);
        Assert.DoesNotContain("   at ", r.StdErr + r.StdOut);
    }
}
