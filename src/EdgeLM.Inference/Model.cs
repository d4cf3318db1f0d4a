using EdgeLM.Gguf;
using EdgeLM.Inference.Architectures;
using EdgeLM.Kernels.Formats;

namespace EdgeLM.Inference;

/// <summary>
/// A GGUF model ready to run: architecture, hyperparameters and weights. Matrices stay memory-mapped
/// (views into the file); only the small 1-D tensors (norms, biases) are widened into float arrays.
/// </summary>
public sealed unsafe class Model : IDisposable
{
    private readonly SplitGguf _files;
    private EdgeLM.Tokenizers.Tokenizer? _tokenizer;

    private Model(SplitGguf files, ArchitectureSpec arch, ModelHyperparameters hp, WeightMatrix embeddings,
        WeightMatrix output, float[] outputNorm, LayerWeights[] layers, float[]? ropeFreqFactors)
    {
        _files = files;
        Architecture = arch;
        Hyperparameters = hp;
        TokenEmbeddings = embeddings;
        Output = output;
        OutputNorm = outputNorm;
        Layers = layers;
        RopeFreqFactors = ropeFreqFactors;
    }

    /// <summary>The model's (first) GGUF file.</summary>
    public GgufFile File => _files.Shards[0];

    /// <summary>All files of the model: one, or the shards of a split GGUF (name-00001-of-0000N.gguf).</summary>
    public IReadOnlyList<GgufFile> Shards => _files.Shards;

    /// <summary>Metadata of the model (merged over the shards of a split file).</summary>
    public GgufMetadata Metadata => _files.Metadata;
    public ArchitectureSpec Architecture { get; }
    public ModelHyperparameters Hyperparameters { get; }
    public WeightMatrix TokenEmbeddings { get; }
    public WeightMatrix Output { get; }
    public float[] OutputNorm { get; }
    public IReadOnlyList<LayerWeights> Layers { get; }

    /// <summary>Per-dimension RoPE frequency divisors (`rope_freqs.weight`, Llama 3.1+), or null.</summary>
    public float[]? RopeFreqFactors { get; }

    /// <summary>The tokenizer built from the file's tokenizer.ggml.* metadata (on first use).</summary>
    public EdgeLM.Tokenizers.Tokenizer Tokenizer => _tokenizer ??= EdgeLM.Tokenizers.Tokenizer.FromGguf(Metadata);

    public string Name => Metadata.GetStringOrNull("general.name") ?? Path.GetFileNameWithoutExtension(File.Path);

    /// <summary>
    /// Opens <paramref name="path"/> (memory-mapped; a shard of a split model opens all its shards) and binds its
    /// tensors. The files stay open until Dispose.
    /// </summary>
    public static Model Load(string path, IProgress<double>? progress = null)
    {
        var files = SplitGguf.Open(path);
        try
        {
            return Bind(files, progress);
        }
        catch
        {
            files.Dispose();
            throw;
        }
    }

    private static Model Bind(SplitGguf file, IProgress<double>? progress)
    {
        var md = file.Metadata;
        string archName = md.GetString("general.architecture");
        ArchitectureSpec arch;
        try
        {
            arch = ArchitectureRegistry.Get(archName);
        }
        catch (NotSupportedException e)
        {
            throw new ModelLoadException(e.Message);
        }
        var binder = new TensorBinder(file);
        var embd = binder.TokenEmbeddings();
        var hp = ModelHyperparameters.Read(md, arch, embd.Rows);
        binder.Expect(embd, hp.EmbeddingLength, hp.VocabSize);
        var output = file.FindTensor("output.weight") is not null
            ? binder.Matrix("output.weight", hp.EmbeddingLength, hp.VocabSize)
            : embd;
        var outputNorm = binder.Vector("output_norm.weight", hp.EmbeddingLength);
        float[]? ropeFreqs = file.FindTensor("rope_freqs.weight") is not null ? binder.Vector("rope_freqs.weight", hp.RopeDimensions / 2) : null;

        var layers = new LayerWeights[hp.BlockCount];
        for (int i = 0; i < hp.BlockCount; i++)
        {
            layers[i] = BindLayer(binder, arch, hp, $"blk.{i}.");
            progress?.Report((i + 1.0) / hp.BlockCount);
        }
        return new Model(file, arch, hp, embd, output, outputNorm, layers, ropeFreqs);
    }

    private static LayerWeights BindLayer(TensorBinder b, ArchitectureSpec arch, ModelHyperparameters hp, string p)
    {
        int e = hp.EmbeddingLength, q = hp.QueryDim, kv = hp.KvDim, ff = hp.FeedForwardLength;
        WeightMatrix wq, wk, wv;
        WeightMatrix? wqkv = null;
        if (arch.FusedQkv)
        {
            wqkv = b.Matrix(p + "attn_qkv.weight", e, q + 2 * kv);
            wq = wqkv.Slice(p + "attn_qkv.weight[q]", 0, q);
            wk = wqkv.Slice(p + "attn_qkv.weight[k]", q, kv);
            wv = wqkv.Slice(p + "attn_qkv.weight[v]", q + kv, kv);
        }
        else
        {
            wq = b.Matrix(p + "attn_q.weight", e, q);
            wk = b.Matrix(p + "attn_k.weight", e, kv);
            wv = b.Matrix(p + "attn_v.weight", e, kv);
        }
        WeightMatrix gate, up;
        WeightMatrix? gateUp = null;
        if (arch.FusedGateUp)
        {
            gateUp = b.Matrix(p + "ffn_up.weight", e, 2 * ff);
            gate = gateUp.Slice(p + "ffn_up.weight[gate]", 0, ff);
            up = gateUp.Slice(p + "ffn_up.weight[up]", ff, ff);
        }
        else
        {
            gate = b.Matrix(p + "ffn_gate.weight", e, ff);
            up = b.Matrix(p + "ffn_up.weight", e, ff);
        }
        return new LayerWeights
        {
            AttnNorm = b.Vector(p + "attn_norm.weight", e),
            Wq = wq,
            Wk = wk,
            Wv = wv,
            Wqkv = wqkv,
            Bq = arch.MayHaveQkvBias ? b.OptionalVector(p + "attn_q.bias", q) : null,
            Bk = arch.MayHaveQkvBias ? b.OptionalVector(p + "attn_k.bias", kv) : null,
            Bv = arch.MayHaveQkvBias ? b.OptionalVector(p + "attn_v.bias", kv) : null,
            QNorm = arch.QkNorm ? b.Vector(p + "attn_q_norm.weight", hp.KeyLength) : null,
            KNorm = arch.QkNorm ? b.Vector(p + "attn_k_norm.weight", hp.KeyLength) : null,
            Wo = b.Matrix(p + "attn_output.weight", q, e),
            FfnNorm = b.Vector(p + "ffn_norm.weight", e),
            Gate = gate,
            Up = up,
            GateUp = gateUp,
            Down = b.Matrix(p + "ffn_down.weight", ff, e),
        };
    }

    public void Dispose() => _files.Dispose();

    /// <summary>Finds tensors by name and checks their shapes, with errors that name the tensor and what was expected.</summary>
    private sealed class TensorBinder(SplitGguf files)
    {
        public WeightMatrix TokenEmbeddings()
        {
            var t = Require("token_embd.weight");
            if (t.Dimensions.Length != 2)
                throw new ModelLoadException($"tensor 'token_embd.weight' has shape [{t.ShapeString}], expected 2 dimensions");
            return Matrix("token_embd.weight", (int)t.Dimensions[0], (int)t.Dimensions[1]);
        }

        public WeightMatrix Matrix(string name, int cols, int rows)
        {
            var t = Require(name);
            if (t.Dimensions.Length != 2 || t.Dimensions[0] != cols || t.Dimensions[1] != rows)
                throw new ModelLoadException($"tensor '{name}' has shape [{t.ShapeString}], expected [{cols} x {rows}]");
            if (!IsMultipliable(t.Type))
                throw new ModelLoadException($"tensor '{name}' has type {t.Type}, which EdgeLM cannot multiply yet");
            return new WeightMatrix(name, t.Type, rows, cols, files.GetTensor(name).File.TensorPointer(t));
        }

        /// <summary>Weight types with a dot-product kernel (ggml's vec_dot pairs).</summary>
        private static bool IsMultipliable(GgmlType t) => t is GgmlType.F32 or GgmlType.F16 or GgmlType.BF16
            or GgmlType.Q4_0 or GgmlType.Q4_1 or GgmlType.Q5_0 or GgmlType.Q5_1 or GgmlType.Q8_0
            or GgmlType.Q2_K or GgmlType.Q3_K or GgmlType.Q4_K or GgmlType.Q5_K or GgmlType.Q6_K;

        public void Expect(WeightMatrix m, int cols, int rows)
        {
            if (m.Cols != cols || m.Rows != rows)
                throw new ModelLoadException($"tensor '{m.Name}' has shape [{m.Cols} x {m.Rows}], expected [{cols} x {rows}]");
        }

        public float[] Vector(string name, int length)
        {
            var t = Require(name);
            if (t.ElementCount != length || t.Dimensions.Length != 1)
                throw new ModelLoadException($"tensor '{name}' has shape [{t.ShapeString}], expected [{length}]");
            if (!TensorFormats.CanDequantize(t.Type))
                throw new ModelLoadException($"tensor '{name}' has unsupported type {t.Type}");
            var v = new float[length];
            TensorFormats.Dequantize(t.Type, files.GetTensor(name).File.TensorData(t), v);
            return v;
        }

        public float[]? OptionalVector(string name, int length) => files.FindTensor(name) is null ? null : Vector(name, length);

        private GgufTensorInfo Require(string name) =>
            files.FindTensor(name)?.Info ?? throw new ModelLoadException($"tensor '{name}' is missing from {Path.GetFileName(files.Shards[0].Path)}");
    }
}
