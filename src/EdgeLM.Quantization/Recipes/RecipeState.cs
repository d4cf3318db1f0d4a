using EdgeLM.Gguf;

namespace EdgeLM.Quantization.Recipes;

/// <summary>
/// The counters llama-quantize keeps while it walks the tensors in processing order (quantize_state_impl) and the
/// rules of llama_tensor_get_type_impl for the k-quant and legacy recipes. One instance plans one model.
/// </summary>
internal sealed class RecipeState(ModelShape model, QuantRecipe recipe, RecipeOptions options)
{
    private int _attentionV;
    private int _ffnDown;

    public required int AttentionVCount { get; init; }
    public required bool TiedEmbeddings { get; init; }

    public GgmlType TypeFor(TensorShape tensor)
    {
        if (!QuantRecipes.AllowsQuantization(tensor))
        {
            return tensor.Type;
        }
        GgmlType type = QuantRecipeInfo.BaseType(recipe);
        if (!GgmlTypes.Info(type).IsQuantized)
        {
            // F32/F16/BF16 recipes convert every quantizable tensor and apply no rule.
            return type;
        }
        if (!options.Pure)
        {
            type = Rule(tensor, type);
        }
        return QuantRecipes.Fallback(type, tensor.Dimensions[0]);
    }

    // use_more_bits: the first and last eighth of the layers and every third layer in between.
    private static bool UseMoreBits(int i, int n) => i < n / 8 || i >= 7 * n / 8 || (i - n / 8) % 3 == 2;

    private GgmlType Rule(TensorShape tensor, GgmlType type)
    {
        var category = TensorCategories.Of(tensor.Name);
        bool falcon = model.Architecture == "falcon";
        if (category == TensorCategory.Output || (TiedEmbeddings && category == TensorCategory.TokenEmbedding))
        {
            // The output projection (or the tied embedding serving as it) gets q6_K unless the recipe is Q8_0.
            if (falcon || tensor.Dimensions[0] % GgmlTypes.Info(type).BlockSize != 0)
            {
                return GgmlType.Q8_0;
            }
            return type != GgmlType.Q8_0 ? GgmlType.Q6_K : type;
        }
        if (category == TensorCategory.TokenEmbedding)
        {
            return type;
        }
        if (TensorCategories.IsAttentionV(category))
        {
            return AttentionV(type);
        }
        return category switch
        {
            TensorCategory.AttentionK when model.ExpertCount == 8 => GgmlType.Q8_0,
            TensorCategory.FfnDown => FfnDown(tensor, type, falcon),
            TensorCategory.AttentionOutput => AttentionOutput(type, falcon),
            // In this llama.cpp version attn_qkv is matched by the attn_v rule first, so its own rule never runs.
            _ => type,
        };
    }

    private GgmlType AttentionV(GgmlType type)
    {
        int i = _attentionV++;
        int n = AttentionVCount;
        type = recipe switch
        {
            QuantRecipe.Q2_K => model.GroupedQueryRatio >= 4 ? GgmlType.Q4_K : GgmlType.Q3_K,
            QuantRecipe.Q3_K_M => i < 2 ? GgmlType.Q5_K : GgmlType.Q4_K,
            QuantRecipe.Q3_K_L => GgmlType.Q5_K,
            QuantRecipe.Q4_K_M or QuantRecipe.Q5_K_M when UseMoreBits(i, n) => GgmlType.Q6_K,
            QuantRecipe.Q4_K_S when i < 4 => GgmlType.Q5_K,
            _ => type,
        };
        // LLM_TYPE_70B (arch llama, 80 layers, grouped-query attention) raises q3_K/q4_K attn_v to q5_K.
        if (model.Architecture == "llama" && model.LayerCount == 80 && model.HeadCount != model.HeadCountKv
            && type is GgmlType.Q3_K or GgmlType.Q4_K)
        {
            type = GgmlType.Q5_K;
        }
        if (model.ExpertCount == 8)
        {
            type = GgmlType.Q8_0;
        }
        return type;
    }

    private GgmlType FfnDown(TensorShape tensor, GgmlType type, bool falcon)
    {
        int i = _ffnDown++;
        int n = model.LayerCount;
        if (model.ExpertCount > 1)
        {
            // Expert tensors are not consecutive, so llama.cpp reads the layer from the name.
            i = ProcessingOrder.BlockOf(tensor.Name);
            if (i < 0 || i >= n)
            {
                throw new InvalidDataException($"cannot determine the layer of tensor '{tensor.Name}' (block_count {n})");
            }
        }
        return recipe switch
        {
            QuantRecipe.Q2_K => GgmlType.Q3_K,
            QuantRecipe.Q3_K_M => i < n / 16 ? GgmlType.Q5_K : !falcon || UseMoreBits(i, n) ? GgmlType.Q4_K : GgmlType.Q3_K,
            QuantRecipe.Q3_K_L => falcon ? GgmlType.Q4_K : GgmlType.Q5_K,
            QuantRecipe.Q4_K_M when falcon => i < n / 16 ? GgmlType.Q6_K : UseMoreBits(i, n) ? GgmlType.Q5_K : GgmlType.Q4_K,
            QuantRecipe.Q4_K_M => UseMoreBits(i, n) ? GgmlType.Q6_K : type,
            QuantRecipe.Q5_K_M when UseMoreBits(i, n) => GgmlType.Q6_K,
            QuantRecipe.Q4_K_S when !falcon && i < n / 8 => GgmlType.Q5_K,
            QuantRecipe.Q4_0 when options.HasImportanceMatrix && i < n / 8 => GgmlType.Q4_1,
            QuantRecipe.Q5_0 when options.HasImportanceMatrix && i < n / 8 => GgmlType.Q5_1,
            _ => type,
        };
    }

    private GgmlType AttentionOutput(GgmlType type, bool falcon)
    {
        if (falcon)
        {
            return recipe == QuantRecipe.Q3_K_L ? GgmlType.Q4_K : type;
        }
        if (model.ExpertCount == 8)
        {
            return recipe is QuantRecipe.Q2_K or QuantRecipe.Q3_K_S or QuantRecipe.Q3_K_M or QuantRecipe.Q4_K_S or QuantRecipe.Q4_K_M
                ? GgmlType.Q5_K
                : type;
        }
        return recipe switch
        {
            QuantRecipe.Q2_K => GgmlType.Q3_K,
            QuantRecipe.Q3_K_M => GgmlType.Q4_K,
            QuantRecipe.Q3_K_L => GgmlType.Q5_K,
            _ => type,
        };
    }
}
