namespace EdgeLM.Inference.Architectures;

/// <summary>Qwen2 / Qwen2.5: llama wiring with q/k/v biases and NeoX RoPE.</summary>
internal static class Qwen2
{
    public static readonly ArchitectureSpec Spec = new() { Name = "qwen2", Rope = RopeStyle.NeoX, MayHaveQkvBias = true };
}
