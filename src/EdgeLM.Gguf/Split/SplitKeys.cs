namespace EdgeLM.Gguf;

/// <summary>The metadata keys llama.cpp's gguf-split writes into every shard (LLM_KV_SPLIT_*).</summary>
public static class SplitKeys
{
    /// <summary>0-based index of this shard (u16).</summary>
    public const string Number = "split.no";

    /// <summary>Number of shards (u16).</summary>
    public const string Count = "split.count";

    /// <summary>Tensors in all shards together (i32).</summary>
    public const string TensorsCount = "split.tensors.count";
}
