using EdgeLM.Gguf;

namespace EdgeLM.Quantization.Recipes;

/// <summary>The recipes `llama-quantize` accepts by name that EdgeLM implements (a base type plus per-tensor rules).</summary>
public enum QuantRecipe
{
    F32,
    F16,
    BF16,
    Q8_0,
    Q6_K,
    Q5_K_M,
    Q5_K_S,
    Q5_0,
    Q5_1,
    Q4_K_M,
    Q4_K_S,
    Q4_0,
    Q4_1,
    Q3_K_L,
    Q3_K_M,
    Q3_K_S,
    Q2_K,
}

/// <summary>Names, file types and base tensor types of the recipes (llama.cpp: llama_ftype, llama_ftype_get_default_type).</summary>
public static class QuantRecipeInfo
{
    /// <summary>Every recipe, in the order `--help` lists them.</summary>
    public static IReadOnlyList<QuantRecipe> All { get; } = Enum.GetValues<QuantRecipe>();

    /// <summary>Parses a recipe name such as "Q4_K_M" or "q4_k_m"; throws naming the accepted names otherwise.</summary>
    public static QuantRecipe Parse(string name)
    {
        if (TryParse(name, out var recipe))
        {
            return recipe;
        }
        throw new ArgumentException($"unknown quantization type '{name}'; expected one of {string.Join(", ", All)}");
    }

    public static bool TryParse(string name, out QuantRecipe recipe)
    {
        foreach (var r in All)
        {
            if (string.Equals(r.ToString(), name, StringComparison.OrdinalIgnoreCase))
            {
                recipe = r;
                return true;
            }
        }
        recipe = default;
        return false;
    }

    /// <summary>The llama_ftype value written to general.file_type (llama.h: LLAMA_FTYPE_MOSTLY_*).</summary>
    public static int FileType(QuantRecipe recipe) => recipe switch
    {
        QuantRecipe.F32 => 0,
        QuantRecipe.F16 => 1,
        QuantRecipe.Q4_0 => 2,
        QuantRecipe.Q4_1 => 3,
        QuantRecipe.Q8_0 => 7,
        QuantRecipe.Q5_0 => 8,
        QuantRecipe.Q5_1 => 9,
        QuantRecipe.Q2_K => 10,
        QuantRecipe.Q3_K_S => 11,
        QuantRecipe.Q3_K_M => 12,
        QuantRecipe.Q3_K_L => 13,
        QuantRecipe.Q4_K_S => 14,
        QuantRecipe.Q4_K_M => 15,
        QuantRecipe.Q5_K_S => 16,
        QuantRecipe.Q5_K_M => 17,
        QuantRecipe.Q6_K => 18,
        QuantRecipe.BF16 => 32,
        _ => throw new ArgumentOutOfRangeException(nameof(recipe)),
    };

    /// <summary>The type every quantizable tensor starts from before the per-tensor rules (llama_ftype_get_default_type).</summary>
    public static GgmlType BaseType(QuantRecipe recipe) => recipe switch
    {
        QuantRecipe.F32 => GgmlType.F32,
        QuantRecipe.F16 => GgmlType.F16,
        QuantRecipe.BF16 => GgmlType.BF16,
        QuantRecipe.Q8_0 => GgmlType.Q8_0,
        QuantRecipe.Q6_K => GgmlType.Q6_K,
        QuantRecipe.Q5_K_M or QuantRecipe.Q5_K_S => GgmlType.Q5_K,
        QuantRecipe.Q5_0 => GgmlType.Q5_0,
        QuantRecipe.Q5_1 => GgmlType.Q5_1,
        QuantRecipe.Q4_K_M or QuantRecipe.Q4_K_S => GgmlType.Q4_K,
        QuantRecipe.Q4_0 => GgmlType.Q4_0,
        QuantRecipe.Q4_1 => GgmlType.Q4_1,
        QuantRecipe.Q3_K_L or QuantRecipe.Q3_K_M or QuantRecipe.Q3_K_S => GgmlType.Q3_K,
        QuantRecipe.Q2_K => GgmlType.Q2_K,
        _ => throw new ArgumentOutOfRangeException(nameof(recipe)),
    };
}
