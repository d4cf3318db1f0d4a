namespace EdgeLM.Cli;

/// <summary>
/// Turns the -m argument into a file: nothing means the built-in model (edgelm-tiny Q4_K_M, shipped in the
/// models/ folder next to the executable); a path to a GGUF runs where it lies.
/// </summary>
public static class ModelLocator
{
    public const string BuiltInFileName = "edgelm-tiny-Q4_K_M.gguf";

    public static string BuiltInPath => Path.Combine(AppContext.BaseDirectory, "models", BuiltInFileName);

    /// <summary>Hook for name resolution (the model store); returns null when the name is unknown.</summary>
    public static Func<string, string?>? NameResolver { get; set; }

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
        if (NameResolver?.Invoke(model) is { } resolved)
            return resolved;
        if (Directory.Exists(model))
            throw new UserFacingException($"'{model}' is a directory, not a GGUF model file");
        throw new UserFacingException($"model '{model}' not found (give a path to a .gguf file or a stored model name)");
    }
}
