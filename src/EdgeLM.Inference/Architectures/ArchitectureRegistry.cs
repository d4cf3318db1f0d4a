namespace EdgeLM.Inference.Architectures;

/// <summary>The architectures EdgeLM runs, by general.architecture.</summary>
public static class ArchitectureRegistry
{
    private static readonly Dictionary<string, ArchitectureSpec> s_specs = new[]
    {
        Llama.Spec, Qwen2.Spec, Qwen3.Spec, Phi3.Spec,
    }.ToDictionary(s => s.Name, StringComparer.Ordinal);

    public static IEnumerable<string> Names => s_specs.Keys;

    public static ArchitectureSpec Get(string name) =>
        s_specs.TryGetValue(name, out var spec) ? spec
            : throw new NotSupportedException($"unsupported architecture '{name}' (EdgeLM runs: {string.Join(", ", s_specs.Keys)})");
}
