using EdgeLM.Gguf;

namespace EdgeLM.Quantization.Recipes;

/// <summary>
/// The per-tensor type choice of llama-quantize (llama-quant.cpp: tensor_allows_quantization, llama_tensor_get_type,
/// tensor_type_fallback) for the recipes of <see cref="QuantRecipe"/>. A pure function of names, shapes,
/// hyperparameters, recipe and options: tensor values never matter.
/// </summary>
public static class QuantRecipes
{
    /// <summary>
    /// The type of every tensor, in processing order (<see cref="ProcessingOrder"/>), which is also the order the
    /// quantizer writes them. Tensors that are not quantized keep their input type.
    /// </summary>
    public static IReadOnlyList<TensorPlan> Plan(ModelShape model, IEnumerable<TensorShape> tensors, QuantRecipe recipe, RecipeOptions? options = null)
    {
        options ??= new RecipeOptions();
        var ordered = tensors.OrderBy(t => t.Name, ProcessingOrder.Instance).ToList();
        var state = new RecipeState(model, recipe, options)
        {
            AttentionVCount = ordered.Count(t => TensorCategories.IsAttentionV(TensorCategories.Of(t.Name))),
            // llama.cpp assumes tied embeddings until it sees output.weight.
            TiedEmbeddings = !ordered.Any(t => TensorCategories.Of(t.Name) == TensorCategory.Output),
        };
        var plan = new List<TensorPlan>(ordered.Count);
        foreach (var t in ordered)
        {
            plan.Add(new TensorPlan(t, state.TypeFor(t)));
        }
        return plan;
    }

    /// <summary>
    /// The type of one tensor. Because the attn_v/ffn_down rules depend on a tensor's position among its kind,
    /// this plans the whole list and picks <paramref name="name"/> from it.
    /// </summary>
    public static GgmlType TypeFor(ModelShape model, IReadOnlyList<TensorShape> tensors, string name, QuantRecipe recipe, RecipeOptions? options = null) =>
        Plan(model, tensors, recipe, options).FirstOrDefault(p => p.Name == name)?.TargetType
        ?? throw new KeyNotFoundException($"tensor '{name}' is not in the tensor list");

    /// <summary>
    /// Whether llama-quantize would touch a tensor at all: at least 2 dimensions (ggml_n_dims ignores trailing 1s),
    /// a name ending in "weight", not a norm, and not one of the small special tensors it leaves alone.
    /// </summary>
    public static bool AllowsQuantization(TensorShape tensor)
    {
        if (DimensionCount(tensor.Dimensions) < 2)
        {
            return false;
        }
        string name = tensor.Name;
        if (!name.EndsWith("weight", StringComparison.Ordinal) || name.Contains("_norm.weight", StringComparison.Ordinal))
        {
            return false;
        }
        foreach (string part in s_keepAsIs)
        {
            if (name.Contains(part, StringComparison.Ordinal))
            {
                return false;
            }
        }
        return name is not ("position_embd.weight" or "token_types.weight");
    }

    // Substrings llama-quant.cpp's tensor_allows_quantization excludes (gating, tiny, positional and multimodal tensors).
    private static readonly string[] s_keepAsIs =
    [
        "ffn_gate_inp.weight", "ffn_gate_tid2eid.weight", "altup", "laurel", "per_layer_model_proj", "ssm_conv1d",
        "shortconv.conv.weight", "indexer.k_proj.weight", "indexer.q_proj.weight", "time_mix_first.weight",
        "time_mix_w0.weight", "time_mix_w1.weight", "time_mix_w2.weight", "time_mix_v0.weight", "time_mix_v1.weight",
        "time_mix_v2.weight", "time_mix_a0.weight", "time_mix_a1.weight", "time_mix_a2.weight", "time_mix_g1.weight",
        "time_mix_g2.weight", "time_mix_decay_w1.weight", "time_mix_decay_w2.weight", "time_mix_lerp_fused.weight",
        "attn_rel_b.weight", ".position_embd", "sam.pos_embd", "sam.neck.", "sam.net_", ".rel_pos", ".patch_embd",
        ".patch_merger", "a.rvq.codebook", "mm.a.code_embd",
    ];

    /// <summary>ggml_n_dims: the number of dimensions up to the last one that is not 1 (at least 1).</summary>
    public static int DimensionCount(long[] dims)
    {
        for (int i = dims.Length - 1; i >= 1; i--)
        {
            if (dims[i] != 1)
            {
                return i + 1;
            }
        }
        return 1;
    }

    /// <summary>
    /// tensor_type_fallback: when ne0 is not a multiple of the chosen type's block size, q2_K/q3_K become q4_0,
    /// q4_K q5_0, q5_K q5_1, q6_K q8_0, and f16 when even that does not fit.
    /// </summary>
    public static GgmlType Fallback(GgmlType type, long rowLength)
    {
        if (rowLength % GgmlTypes.Info(type).BlockSize == 0)
        {
            return type;
        }
        GgmlType next = type switch
        {
            GgmlType.Q2_K or GgmlType.Q3_K or GgmlType.TQ1_0 or GgmlType.TQ2_0 => GgmlType.Q4_0,
            GgmlType.Q4_K => GgmlType.Q5_0,
            GgmlType.Q5_K => GgmlType.Q5_1,
            GgmlType.Q6_K => GgmlType.Q8_0,
            GgmlType.IQ1_S or GgmlType.IQ1_M or GgmlType.IQ2_XXS or GgmlType.IQ2_XS or GgmlType.IQ2_S or GgmlType.IQ3_XXS
                or GgmlType.IQ3_S or GgmlType.IQ4_XS => GgmlType.IQ4_NL,
            _ => throw new NotSupportedException($"no fallback type is defined for {GgmlTypes.Info(type).Name} (row length {rowLength})"),
        };
        return rowLength % GgmlTypes.Info(next).BlockSize == 0 ? next : GgmlType.F16;
    }
}
