namespace EdgeLM.Gguf;

/// <summary>Shards of a split GGUF model that do not fit together (wrong count, order, duplicate tensors).</summary>
public sealed class SplitGgufException(string message) : IOException(message);
