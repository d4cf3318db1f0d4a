namespace EdgeLM.Inference.Architectures;

/// <summary>Qwen3 (dense): no biases, per-head RMSNorm of q and k before NeoX RoPE.</summary>
internal static class Qwen3
{
    public static readonly ArchitectureSpec Spec = new() { Name = "qwen3", Rope = RopeStyle.NeoX, QkNorm = true };
}
