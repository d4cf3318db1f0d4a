using System.Text.Json.Nodes;
using EdgeLM.Templates;
using EdgeLM.TestSupport;

namespace EdgeLM.Cli.Tests;

public sealed class ChatCommandTests
{
    /// <summary>
    /// Several turns through stdin (greedy); each reply must equal what `edgelm run` prints for the same rendered
    /// prompt (the model's own template, special tokens parsed).
    /// </summary>
    [Theory]
    [InlineData("tiny-qwen2-Q8_0.gguf")]
    [InlineData("tiny-phi3-Q8_0.gguf")]
    public void Chat_replies_equal_run_on_the_rendered_prompts(string modelFile)
    {
        string model = TestData.Models(modelFile);
        string[] users = ["Hi!", "What is the capital of France?", "Thanks."];
        var chat = EdgeLmProcess.Run(["chat", "-m", model, "--temp", "0", "-n", "10", "-t", "2"], stdin: string.Join("\n", users) + "\n");
        Assert.True(chat.ExitCode == 0, chat.StdErr);

        using var gguf = EdgeLM.Gguf.GgufFile.Open(model);
        var template = new ChatTemplate(gguf.Metadata.GetString("tokenizer.chat_template"));
        var tokens = gguf.Metadata.GetStringArray("tokenizer.ggml.tokens");
        string? bos = gguf.Metadata.Contains("tokenizer.ggml.bos_token_id") ? tokens[gguf.Metadata.GetInt32("tokenizer.ggml.bos_token_id")] : null;
        string? eos = gguf.Metadata.Contains("tokenizer.ggml.eos_token_id") ? tokens[gguf.Metadata.GetInt32("tokenizer.ggml.eos_token_id")] : null;
        var messages = new List<ChatMessage>();
        var expectedOutput = new System.Text.StringBuilder();
        string dir = Directory.CreateTempSubdirectory("edgelm-chat").FullName;
        try
        {
            for (int i = 0; i < users.Length; i++)
            {
                messages.Add(new ChatMessage("user", users[i]));
                string prompt = template.Apply(messages, addGenerationPrompt: true, bos, eos);
                string file = Path.Combine(dir, $"turn{i}.txt");
                File.WriteAllText(file, prompt);
                var run = EdgeLmProcess.Run("run", "-m", model, "-f", file, "--special", "--temp", "0", "-n", "10", "-t", "2");
                Assert.True(run.ExitCode == 0, run.StdErr);
                // Each reply is printed followed by a newline, exactly as run prints its output.
                expectedOutput.Append(run.StdOut);
                messages.Add(new ChatMessage("assistant", run.StdOut[..^1]));
            }
            Assert.Equal(expectedOutput.ToString(), chat.StdOut);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Slash_commands_save_and_load_a_conversation()
    {
        string dir = Directory.CreateTempSubdirectory("edgelm-chat").FullName;
        string saved = Path.Combine(dir, "conv.json");
        try
        {
            var r = EdgeLmProcess.Run(["chat", "-m", TestData.Models("tiny-qwen3-Q8_0.gguf"), "--temp", "0", "-n", "4"],
                stdin: $"Hello\n/system Be brief.\n/save {saved}\n/reset\n/load {saved}\n/bogus\n/exit\nnever sent\n");
            Assert.Equal(0, r.ExitCode);
            var json = JsonNode.Parse(File.ReadAllText(saved))!;
            Assert.Equal("Be brief.", json["system"]!.GetValue<string>());
            Assert.Equal(2, json["messages"]!.AsArray().Count);
            Assert.Contains("loaded 2 messages", r.StdErr);
            Assert.Contains("unknown command /bogus", r.StdErr);
            Assert.Single(r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
