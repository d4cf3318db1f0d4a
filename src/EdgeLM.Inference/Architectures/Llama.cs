namespace EdgeLM.Inference.Architectures;

/// <summary>Llama 2/3, Mistral, SmolLM and friends: separate q/k/v, SwiGLU, adjacent-pair RoPE.</summary>
internal static class Llama
{
    public static readonly ArchitectureSpec Spec = new() { Name = "llama", Rope = RopeStyle.Normal, MayHaveQkvBias = true };
}
