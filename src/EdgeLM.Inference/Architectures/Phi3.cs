namespace EdgeLM.Inference.Architectures;

/// <summary>Phi-3 / Phi-3.5 mini: fused qkv and fused gate+up, NeoX RoPE.</summary>
internal static class Phi3
{
    public static readonly ArchitectureSpec Spec = new() { Name = "phi3", Rope = RopeStyle.NeoX, FusedQkv = true, FusedGateUp = true };
}
