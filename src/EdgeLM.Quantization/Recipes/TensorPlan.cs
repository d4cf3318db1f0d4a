using EdgeLM.Gguf;

namespace EdgeLM.Quantization.Recipes;

/// <summary>One tensor's decision: its input type and the type a recipe gives it.</summary>
public sealed record TensorPlan(TensorShape Tensor, GgmlType TargetType)
{
    public string Name => Tensor.Name;
    public GgmlType SourceType => Tensor.Type;
    public bool Changes => SourceType != TargetType;
}
