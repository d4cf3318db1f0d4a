using EdgeLM.Gguf;
using EdgeLM.Inference.Architectures;

namespace EdgeLM.Inference;

/// <summary>The numbers that shape a model, read from `{arch}.*` metadata keys with llama.cpp's defaults.</summary>
public sealed record ModelHyperparameters
{
    public required int EmbeddingLength { get; init; }
    public required int BlockCount { get; init; }
    public required int FeedForwardLength { get; init; }
    public required int HeadCount { get; init; }
    public required int HeadCountKv { get; init; }
    public required int KeyLength { get; init; }
    public required int ValueLength { get; init; }
    public required int RopeDimensions { get; init; }
    public required float RopeFreqBase { get; init; }

    /// <summary>1 / linear rope scaling factor (llama.cpp's freq_scale); 1 when unscaled.</summary>
    public required float RopeFreqScale { get; init; }
    public required float RmsEpsilon { get; init; }
    public required int TrainingContextLength { get; init; }
    public required int VocabSize { get; init; }

    public int QueryDim => HeadCount * KeyLength;
    public int KvDim => HeadCountKv * KeyLength;
    public int ValueDim => HeadCountKv * ValueLength;

    public static ModelHyperparameters Read(GgufMetadata md, ArchitectureSpec arch, int vocabSize)
    {
        string p = arch.Name + ".";
        int embd = md.GetInt32(p + "embedding_length");
        int heads = md.GetInt32(p + "attention.head_count");
        if (heads <= 0 || embd % heads != 0 && !md.Contains(p + "attention.key_length"))
            throw new InvalidDataException($"{p}attention.head_count = {heads} does not divide {p}embedding_length = {embd}");
        int headsKv = md.GetInt32Or(p + "attention.head_count_kv", heads);
        if (headsKv <= 0 || heads % headsKv != 0)
            throw new InvalidDataException($"{p}attention.head_count_kv = {headsKv} must divide head_count = {heads}");
        int keyLength = md.GetInt32Or(p + "attention.key_length", embd / heads);
        int valueLength = md.GetInt32Or(p + "attention.value_length", keyLength);
        if (keyLength != valueLength)
            throw new NotSupportedException($"key_length {keyLength} != value_length {valueLength} is not supported");
        float scale = 1f;
        string scalingType = md.GetStringOrNull(p + "rope.scaling.type") ?? "none";
        if (scalingType == "linear")
        {
            float factor = md.GetFloat32Or(p + "rope.scaling.factor", 1f);
            if (factor > 0) scale = 1f / factor;
        }
        else if (scalingType is not ("none" or "yarn"))
            throw new NotSupportedException($"rope scaling type '{scalingType}' is not supported");
        var h = new ModelHyperparameters
        {
            EmbeddingLength = embd,
            BlockCount = md.GetInt32(p + "block_count"),
            FeedForwardLength = md.GetInt32(p + "feed_forward_length"),
            HeadCount = heads,
            HeadCountKv = headsKv,
            KeyLength = keyLength,
            ValueLength = valueLength,
            RopeDimensions = md.GetInt32Or(p + "rope.dimension_count", keyLength),
            RopeFreqBase = md.GetFloat32Or(p + "rope.freq_base", 10000f),
            RopeFreqScale = scale,
            RmsEpsilon = md.GetFloat32Or(p + "attention.layer_norm_rms_epsilon", 1e-5f),
            TrainingContextLength = md.GetInt32Or(p + "context_length", 2048),
            VocabSize = vocabSize,
        };
        if (h.BlockCount <= 0 || h.FeedForwardLength <= 0 || h.RopeDimensions > keyLength || h.RopeDimensions % 2 != 0)
            throw new InvalidDataException($"implausible hyperparameters for {arch.Name}: {h}");
        return h;
    }
}
