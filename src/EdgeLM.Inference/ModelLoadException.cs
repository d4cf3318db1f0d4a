namespace EdgeLM.Inference;

/// <summary>A model file can't be run: a missing tensor, a wrong shape, an unsupported type or architecture.</summary>
public sealed class ModelLoadException(string message) : Exception(message);
