
namespace EdgeLM.Gguf;

/// <summary>One tensor of a (possibly split) model: the shard that holds its bytes and its header entry there.</summary>
public readonly record struct SplitTensor(GgufFile File, GgufTensorInfo Info);
