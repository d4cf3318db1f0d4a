using EdgeLM.Gguf;

namespace EdgeLM.Quantization.Recipes;

/// <summary>The hyperparameters the recipe rules read (llama-quant.cpp reads only these, never tensor values).</summary>
public sealed record ModelShape(string Architecture, int LayerCount, int HeadCount, int HeadCountKv, int ExpertCount = 0)
{
    /// <summary>n_head / n_head_kv (llama_hparams::n_gqa); 0 when there are no heads.</summary>
    public int GroupedQueryRatio => HeadCountKv > 0 ? HeadCount / HeadCountKv : 0;

    /// <summary>Reads `&lt;arch&gt;.block_count`, `attention.head_count(_kv)` and `expert_count` from GGUF metadata.</summary>
    public static ModelShape FromMetadata(GgufMetadata metadata)
    {
        string arch = metadata.GetStringOrNull("general.architecture")
            ?? throw new InvalidDataException("general.architecture is missing from the model's metadata");
        int layers = metadata.GetInt32Or($"{arch}.block_count", -1);
        if (layers < 0)
        {
            throw new InvalidDataException($"{arch}.block_count is missing from the model's metadata");
        }
        int heads = ReadFirst(metadata, $"{arch}.attention.head_count", 0);
        int headsKv = ReadFirst(metadata, $"{arch}.attention.head_count_kv", heads);
        int experts = metadata.GetInt32Or($"{arch}.expert_count", 0);
        return new ModelShape(arch, layers, heads, headsKv, experts);
    }

    // head_count may be stored per layer as an array; llama.cpp then uses layer 0's value for n_gqa().
    private static int ReadFirst(GgufMetadata metadata, string key, int fallback)
    {
        if (!metadata.TryGetValue(key, out var v))
        {
            return fallback;
        }
        return v.IsArray ? (v.Count > 0 ? v.AsInt32Array()[0] : fallback) : checked((int)v.AsInt64());
    }
}

/// <summary>A tensor as the recipe rules see it: name, GGUF shape (ne0 first) and current type.</summary>
public sealed record TensorShape(string Name, long[] Dimensions, GgmlType Type);

/// <summary>Options that change the recipe's choices (llama_model_quantize_params).</summary>
public sealed record RecipeOptions
{
    /// <summary>--pure: every quantizable tensor gets the base type (the shape fallback still applies).</summary>
    public bool Pure { get; init; }

    /// <summary>An importance matrix is given: Q4_0/Q5_0 then use Q4_1/Q5_1 for the first n/8 ffn_down layers.</summary>
    public bool HasImportanceMatrix { get; init; }
}
