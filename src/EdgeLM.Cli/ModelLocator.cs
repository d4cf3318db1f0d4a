namespace EdgeLM.Cli;

/// <summary>
/// Turns the -m argument into a file: nothing means the built-in model (edgelm-tiny Q4_K_M, shipped in the
/// models/ folder next to the executable); a path to a GGUF runs where it lies; any other
/// value is a name in the model store ($EDGELM_MODELS).
/// </summary>
public static class ModelLocator
{
    public const string BuiltInFileName = "edgelm-tiny-Q4_K_M.gguf";

    public static string BuiltInPath => Path.Combine(AppContext.BaseDirectory, "models", BuiltInFileName);

    public static string Resolve(string? model)
    {
        if (string.IsNullOrWhiteSpace(model))
        {
            if (!File.Exists(BuiltInPath))
                throw new UserFacingException($"the built-in model is missing ({BuiltInPath}); pass a model with -m");
            return BuiltInPath;
        }
        if (File.Exists(model))
            return model;
        if (Directory.Exists(model))
            throw new UserFacingException($"'{model}' is a directory, not a GGUF model file");
        // A stored name (qwen3-0.6b:q4_k_m); the resolver's error lists close matches.
        return EdgeLM.ModelStore.ModelResolver.Resolve(model).Path;
    }
}
