using EdgeLM.Gguf;

namespace EdgeLM.TestSupport;

/// <summary>
/// Writes a model as split shards the way llama.cpp's gguf-split does: the model's metadata in shard 1 only,
/// `split.no` (u16), `split.count` (u16), `split.tensors.count` (i32) in every shard, tensors spread in order.
/// </summary>
public static class SplitFiles
{
    public static IReadOnlyList<string> Write(string source, string folder, string prefix, int count)
    {
        using var src = GgufFile.Open(source);
        var paths = new List<string>();
        int perShard = (src.Tensors.Count + count - 1) / count;
        for (int i = 0; i < count; i++)
        {
            var metadata = new GgufMetadata();
            if (i == 0)
                foreach (var (k, v) in src.Metadata)
                    metadata.Set(k, v);
            metadata.Set(SplitKeys.Number, GgufValue.FromUInt16((ushort)i));
            metadata.Set(SplitKeys.Count, GgufValue.FromUInt16((ushort)count));
            metadata.Set(SplitKeys.TensorsCount, GgufValue.FromInt32(src.Tensors.Count));
            var writer = new GgufWriter(metadata);
            foreach (var t in src.Tensors.Skip(i * perShard).Take(perShard))
                writer.AddTensor(src, t);
            string path = Path.Combine(folder, SplitShardName.Format(prefix, i + 1, count));
            writer.WriteFile(path);
            paths.Add(path);
        }
        return paths;
    }
}
