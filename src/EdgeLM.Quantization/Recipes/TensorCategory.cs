namespace EdgeLM.Quantization.Recipes;

/// <summary>
/// The broad role of a tensor as llama-quantize sees it, from its name alone (llama-quant.cpp, tensor_get_category:
/// exact names first, then substrings in this order: attn_qkv, attn_kv_b, attn_v, attn_k, attn_q, attn_output,
/// ffn_up, ffn_gate, ffn_down).
/// </summary>
public enum TensorCategory
{
    Other,
    Output,
    TokenEmbedding,
    AttentionQkv,
    AttentionKvB,
    AttentionV,
    AttentionK,
    AttentionQ,
    AttentionOutput,
    FfnUp,
    FfnGate,
    FfnDown,
}

public static class TensorCategories
{
    public static TensorCategory Of(string name)
    {
        if (name == "output.weight")
        {
            return TensorCategory.Output;
        }
        if (name is "token_embd.weight" or "per_layer_token_embd.weight")
        {
            return TensorCategory.TokenEmbedding;
        }
        if (name.Contains("attn_qkv.weight", StringComparison.Ordinal)) return TensorCategory.AttentionQkv;
        if (name.Contains("attn_kv_b.weight", StringComparison.Ordinal)) return TensorCategory.AttentionKvB;
        if (name.Contains("attn_v.weight", StringComparison.Ordinal)) return TensorCategory.AttentionV;
        if (name.Contains("attn_k.weight", StringComparison.Ordinal)) return TensorCategory.AttentionK;
        if (name.Contains("attn_q.weight", StringComparison.Ordinal)) return TensorCategory.AttentionQ;
        if (name.Contains("attn_output.weight", StringComparison.Ordinal)) return TensorCategory.AttentionOutput;
        if (name.Contains("ffn_up", StringComparison.Ordinal)) return TensorCategory.FfnUp;
        if (name.Contains("ffn_gate", StringComparison.Ordinal)) return TensorCategory.FfnGate;
        if (name.Contains("ffn_down", StringComparison.Ordinal)) return TensorCategory.FfnDown;
        return TensorCategory.Other;
    }

    /// <summary>attn_v-like tensors share one counter and one rule (llama-quant.cpp, category_is_attn_v).</summary>
    public static bool IsAttentionV(TensorCategory c) =>
        c is TensorCategory.AttentionV or TensorCategory.AttentionQkv or TensorCategory.AttentionKvB;
}
