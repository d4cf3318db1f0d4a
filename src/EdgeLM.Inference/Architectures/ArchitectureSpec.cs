namespace EdgeLM.Inference.Architectures;

/// <summary>How RoPE pairs the elements of a head (llama.cpp LLAMA_ROPE_TYPE_NORM / _NEOX).</summary>
public enum RopeStyle
{
    /// <summary>Adjacent pairs (e[2i], e[2i+1]): llama, mistral.</summary>
    Normal,

    /// <summary>Split halves (e[i], e[i + n/2]): qwen2, qwen3, phi3, gpt-neox.</summary>
    NeoX,
}

/// <summary>
/// An architecture as data: its GGUF name, how RoPE pairs elements, and how a transformer block is wired
/// (which tensors exist, fused or separate). The engine reads only this; adding an architecture of the
/// llama family means one small file that declares a spec and registering it in <see cref="ArchitectureRegistry"/>.
/// </summary>
public sealed record ArchitectureSpec
{
    /// <summary>general.architecture value, also the prefix of its hyperparameter keys.</summary>
    public required string Name { get; init; }

    public required RopeStyle Rope { get; init; }

    /// <summary>Q, K and V come from one fused `attn_qkv` matrix (rows: Q, then K, then V).</summary>
    public bool FusedQkv { get; init; }

    /// <summary>Gate and up projections come from one `ffn_up` matrix (rows: gate, then up).</summary>
    public bool FusedGateUp { get; init; }

    /// <summary>Per-head RMSNorm of q and k before RoPE (`attn_q_norm`, `attn_k_norm`).</summary>
    public bool QkNorm { get; init; }

    /// <summary>Optional biases this architecture may carry (`attn_q.bias` ...); loaded when present.</summary>
    public bool MayHaveQkvBias { get; init; }
}
