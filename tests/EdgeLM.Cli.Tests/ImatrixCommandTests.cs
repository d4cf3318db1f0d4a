using EdgeLM.Quantization.Imatrix;
using EdgeLM.TestSupport;

namespace EdgeLM.Cli.Tests;

public sealed class ImatrixCommandTests
{
    [Fact]
    public void Imatrix_collects_every_matrix_and_quantize_uses_it()
    {
        string dir = Directory.CreateTempSubdirectory("edgelm-imatrix").FullName;
        try
        {
            string imatrix = Path.Combine(dir, "tiny.imatrix.gguf");
            var r = EdgeLmProcess.Run("imatrix", "-m", TestData.Models("tiny-llama-F16.gguf"), "-f", TestData.File("text", "gpl-3.0.txt"),
                "-o", imatrix, "-c", "128", "--chunks", "4", "-t", "2");
            Assert.True(r.ExitCode == 0, r.StdErr);
            var m = ImportanceMatrix.Load(imatrix);
            Assert.Equal(14, m.Count); // 2 blocks × (q, k, v, output, gate, up, down); the tied output is skipped
            Assert.Equal(4, m.ChunkCount);
            // q, k and v read the same normalized input, and so do gate and up: their statistics must be identical.
            Assert.Equal(m.ImportanceOf("blk.0.attn_q.weight"), m.ImportanceOf("blk.0.attn_k.weight"));
            Assert.Equal(m.ImportanceOf("blk.1.ffn_gate.weight"), m.ImportanceOf("blk.1.ffn_up.weight"));
            Assert.NotEqual(m.ImportanceOf("blk.0.attn_q.weight"), m.ImportanceOf("blk.0.ffn_gate.weight"));
            Assert.All(m.ImportanceOf("blk.0.ffn_down.weight")!, v => Assert.True(v > 0 && float.IsFinite(v)));

            string quantized = Path.Combine(dir, "q4_0.gguf");
            var q = EdgeLmProcess.Run("quantize", TestData.Models("tiny-llama-F16.gguf"), quantized, "Q4_0", "--imatrix", imatrix);
            Assert.True(q.ExitCode == 0, q.StdErr);
            var run = EdgeLmProcess.Run("run", "-m", quantized, "-p", "Hello", "-n", "4", "--temp", "0");
            Assert.True(run.ExitCode == 0, run.StdErr);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Imatrix_on_text_shorter_than_a_chunk_fails_cleanly()
    {
        string dir = Directory.CreateTempSubdirectory("edgelm-imatrix").FullName;
        try
        {
            string text = Path.Combine(dir, "short.txt");
            File.WriteAllText(text, "too short");
            string output = Path.Combine(dir, "out.gguf");
            var r = EdgeLmProcess.Run("imatrix", "-m", TestData.Models("tiny-llama-F16.gguf"), "-f", text, "-o", output);
            Assert.Equal(1, r.ExitCode);
            Assert.Contains("fewer than one chunk", r.StdErr);
            Assert.False(File.Exists(output));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
