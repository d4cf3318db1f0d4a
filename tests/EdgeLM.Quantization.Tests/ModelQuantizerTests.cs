using EdgeLM.Gguf;
using EdgeLM.Inference;
using EdgeLM.Quantization.Imatrix;
using EdgeLM.Quantization.Pruning;
using EdgeLM.Quantization.Recipes;
using EdgeLM.TestSupport;

namespace EdgeLM.Quantization.Tests;

public sealed class ModelQuantizerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("edgelm-quant-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // The reference files were made with `llama-quantize tiny-llama-F32.gguf <out> <TYPE>` (models/README.md).
    [Theory]
    [InlineData("Q8_0")]
    [InlineData("Q6_K")]
    [InlineData("Q5_K_M")]
    [InlineData("Q5_0")]
    [InlineData("Q5_1")]
    [InlineData("Q4_K_M")]
    [InlineData("Q4_0")]
    [InlineData("Q4_1")]
    [InlineData("Q3_K_M")]
    [InlineData("Q2_K")]
    public void Quantizing_the_F32_master_reproduces_llama_quantize_byte_for_byte(string recipeName)
    {
        string output = Path.Combine(_dir, $"out-{recipeName}.gguf");
        using (var input = GgufFile.Open(TestData.Models("tiny-llama-F32.gguf")))
        {
            ModelQuantizer.Quantize(input, output, QuantRecipeInfo.Parse(recipeName), new QuantizeOptions { Threads = 2 });
        }
        using var ours = GgufFile.Open(output);
        using var reference = GgufFile.Open(TestData.Models($"tiny-llama-{recipeName}.gguf"));
        Assert.Equal(reference.Tensors.Count, ours.Tensors.Count);
        foreach (var expected in reference.Tensors)
        {
            var actual = ours.GetTensor(expected.Name);
            Assert.Equal(expected.Type, actual.Type);
            Assert.Equal(expected.Dimensions, actual.Dimensions);
            Assert.True(expected.ByteSize == actual.ByteSize && reference.TensorData(expected).SequenceEqual(ours.TensorData(actual)),
                $"{recipeName}: tensor '{expected.Name}' differs from llama-quantize's bytes");
        }
        Assert.Equal(reference.Metadata.GetInt64("general.file_type"), ours.Metadata.GetInt64("general.file_type"));
        Assert.Equal(2, ours.Metadata.GetInt64("general.quantization_version"));
        Assert.Equal(reference.Metadata.GetStringArray("tokenizer.ggml.tokens"), ours.Metadata.GetStringArray("tokenizer.ggml.tokens"));
    }

    [Fact]
    public void Tensors_are_written_in_llama_cpp_processing_order()
    {
        string output = Path.Combine(_dir, "order.gguf");
        using (var input = GgufFile.Open(TestData.Models("tiny-llama-F16.gguf")))
        {
            ModelQuantizer.Quantize(input, output, QuantRecipe.Q4_0);
        }
        using var ours = GgufFile.Open(output);
        var names = ours.Tensors.Select(t => t.Name).ToList();
        Assert.Equal(names.OrderBy(n => n, ProcessingOrder.Instance).ToList(), names);
    }

    [Fact]
    public void Output_is_the_same_for_one_thread_and_many()
    {
        string one = Path.Combine(_dir, "one.gguf");
        string many = Path.Combine(_dir, "many.gguf");
        using (var input = GgufFile.Open(TestData.Models("tiny-llama-F16.gguf")))
        {
            ModelQuantizer.Quantize(input, one, QuantRecipe.Q4_K_M, new QuantizeOptions { Threads = 1 });
            ModelQuantizer.Quantize(input, many, QuantRecipe.Q4_K_M, new QuantizeOptions { Threads = 3 });
        }
        Assert.Equal(File.ReadAllBytes(one), File.ReadAllBytes(many));
    }

    [Fact]
    public void Quantized_model_loads_and_decodes_greedily_like_llama_quantizes_file()
    {
        string output = Path.Combine(_dir, "greedy.gguf");
        using (var input = GgufFile.Open(TestData.Models("tiny-llama-F32.gguf")))
        {
            var result = ModelQuantizer.Quantize(input, output, QuantRecipe.Q4_K_M);
            Assert.Empty(result.Warnings);
        }
        int[] prompt = [1, 450, 996, 1735, 170, 432];
        Assert.Equal(Greedy(TestData.Models("tiny-llama-Q4_K_M.gguf"), prompt, 8), Greedy(output, prompt, 8));
    }

    [Fact]
    public void A_model_without_weight_matrices_is_rejected_and_no_output_is_left()
    {
        string input = Path.Combine(_dir, "norms-only.gguf");
        var md = new GgufMetadata();
        md.Set("general.architecture", GgufValue.FromString("llama"));
        md.Set("llama.block_count", GgufValue.FromUInt32(1));
        var writer = new GgufWriter(md);
        writer.AddTensor("blk.0.attn_norm.weight", [64], GgmlType.F32, new byte[256]);
        writer.WriteFile(input);
        string output = Path.Combine(_dir, "never.gguf");
        using var file = GgufFile.Open(input);
        var e = Assert.Throws<InvalidDataException>(() => ModelQuantizer.Quantize(file, output, QuantRecipe.Q4_0));
        Assert.Contains("nothing to quantize", e.Message);
        Assert.Equal(["norms-only.gguf"], Directory.GetFiles(_dir).Select(Path.GetFileName));
    }

    [Fact]
    public void Requantizing_a_quantized_model_warns()
    {
        string output = Path.Combine(_dir, "requant.gguf");
        using var input = GgufFile.Open(TestData.Models("tiny-llama-Q8_0.gguf"));
        var result = ModelQuantizer.Quantize(input, output, QuantRecipe.Q4_0);
        Assert.Contains(result.Warnings, w => w.Contains("requantizing", StringComparison.Ordinal));
        Assert.True(File.Exists(output));
    }

    [Fact]
    public void Imatrix_with_wrong_row_length_is_rejected_naming_the_tensor_and_no_output_is_left()
    {
        var im = new ImportanceMatrix(["calib.txt"], 1, 512);
        im.Add("blk.0.attn_q.weight", new float[7], [1f]);
        string output = Path.Combine(_dir, "never.gguf");
        using var input = GgufFile.Open(TestData.Models("tiny-llama-F16.gguf"));
        var e = Assert.Throws<InvalidDataException>(() =>
            ModelQuantizer.Quantize(input, output, QuantRecipe.Q4_0, new QuantizeOptions { ImportanceMatrix = im }));
        Assert.Contains("blk.0.attn_q.weight", e.Message);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Pruning_above_40_percent_is_refused_without_force()
    {
        string output = Path.Combine(_dir, "never.gguf");
        using var input = GgufFile.Open(TestData.Models("tiny-llama-F16.gguf"));
        var e = Assert.Throws<ArgumentException>(() => ModelQuantizer.Quantize(input, output, QuantRecipe.Q8_0,
            new QuantizeOptions { Prune = new PruneOptions { Ratio = 0.5 } }));
        Assert.Contains("--force", e.Message);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Magnitude_pruning_zeroes_the_requested_share_of_layer_weights_but_not_embeddings()
    {
        string output = Path.Combine(_dir, "pruned.gguf");
        using (var input = GgufFile.Open(TestData.Models("tiny-llama-F32.gguf")))
        {
            ModelQuantizer.Quantize(input, output, QuantRecipe.F32, new QuantizeOptions { Prune = new PruneOptions { Ratio = 0.3 } });
        }
        using var pruned = GgufFile.Open(output);
        foreach (var t in pruned.Tensors)
        {
            var values = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(pruned.TensorData(t));
            double zeros = values.ToArray().Count(v => v == 0) / (double)values.Length;
            if (t.Name.StartsWith("blk.", StringComparison.Ordinal) && t.Dimensions.Length == 2)
            {
                Assert.InRange(zeros, 0.29, 0.31);
            }
            else
            {
                Assert.True(zeros < 0.01, $"{t.Name} was pruned");
            }
        }
    }

    private static List<int> Greedy(string path, int[] prompt, int steps)
    {
        using var model = Model.Load(path);
        using var session = new InferenceSession(model, new SessionOptions { ContextLength = 64, KvCacheType = KvCacheType.F32, Threads = 2 });
        session.Prefill(prompt);
        var tokens = new List<int>();
        for (int i = 0; i < steps; i++)
        {
            var logits = session.LastLogits;
            int best = 0;
            for (int v = 1; v < logits.Length; v++)
            {
                if (logits[v] > logits[best])
                {
                    best = v;
                }
            }
            tokens.Add(best);
            session.Decode(best);
        }
        return tokens;
    }
}
