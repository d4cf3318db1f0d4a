using EdgeLM.Gguf;
using EdgeLM.Kernels.Formats;

namespace EdgeLM.Quantization.Synthesis;

/// <summary>
/// Writes a random-weight GGUF with the exact tensor names, shapes and metadata of a real model, quantized as
/// asked, with the tokenizer copied from a vocabulary GGUF. Weights are uniform with standard deviation 0.02
/// (norms 1, biases 0), deterministic for a seed; llama.cpp loads and runs the result.
/// </summary>
public static class ModelSynthesizer
{
    public sealed record Options
    {
        public required ShapePreset Shape { get; init; }

        /// <summary>The type of every tensor by name and shape (1-D tensors are always F32).</summary>
        public required Func<string, long[], GgmlType> TypeOf { get; init; }

        /// <summary>llama.cpp's general.file_type for the result.</summary>
        public required int FileType { get; init; }
        public required GgufMetadata Vocabulary { get; init; }
        public int Seed { get; init; } = 1234;
        public int Threads { get; init; } = Environment.ProcessorCount;
    }

    /// <summary>The tensor list of a shape: names and GGUF shapes (ne0 = row length first), in llama.cpp's order.</summary>
    public static IReadOnlyList<(string Name, long[] Dims)> Tensors(ShapePreset s, int vocab)
    {
        int e = s.EmbeddingLength, q = s.HeadCount * s.HeadDim, kv = s.HeadCountKv * s.HeadDim, ff = s.FeedForwardLength;
        var list = new List<(string, long[])> { ("token_embd.weight", [e, vocab]) };
        if (!s.TiedEmbeddings) list.Add(("output.weight", [e, vocab]));
        list.Add(("output_norm.weight", [e]));
        if (s.Llama3RopeScaling is not null) list.Add(("rope_freqs.weight", [s.HeadDim / 2]));
        for (int i = 0; i < s.BlockCount; i++)
        {
            string p = $"blk.{i}.";
            list.Add((p + "attn_norm.weight", [e]));
            if (s.Architecture == "phi3")
                list.Add((p + "attn_qkv.weight", [e, q + 2 * kv]));
            else
            {
                list.Add((p + "attn_q.weight", [e, q]));
                list.Add((p + "attn_k.weight", [e, kv]));
                list.Add((p + "attn_v.weight", [e, kv]));
            }
            if (s.Architecture == "qwen2")
            {
                list.Add((p + "attn_q.bias", [q]));
                list.Add((p + "attn_k.bias", [kv]));
                list.Add((p + "attn_v.bias", [kv]));
            }
            if (s.Architecture == "qwen3")
            {
                list.Add((p + "attn_q_norm.weight", [s.HeadDim]));
                list.Add((p + "attn_k_norm.weight", [s.HeadDim]));
            }
            list.Add((p + "attn_output.weight", [q, e]));
            list.Add((p + "ffn_norm.weight", [e]));
            if (s.Architecture == "phi3")
                list.Add((p + "ffn_up.weight", [e, 2 * ff]));
            else
            {
                list.Add((p + "ffn_gate.weight", [e, ff]));
                list.Add((p + "ffn_up.weight", [e, ff]));
            }
            list.Add((p + "ffn_down.weight", [ff, e]));
        }
        return list;
    }

    public static void Write(Options o, string outputPath, IProgress<double>? progress = null)
    {
        var s = o.Shape;
        var tokens = o.Vocabulary.GetStringArray("tokenizer.ggml.tokens");
        int vocab = tokens.Length;
        var md = new GgufMetadata();
        string a = s.Architecture;
        md.Set("general.architecture", GgufValue.FromString(a));
        md.Set("general.type", GgufValue.FromString("model"));
        md.Set("general.name", GgufValue.FromString($"{s.Name} (synthetic, random weights)"));
        md.Set("general.description", GgufValue.FromString("random weights with the shape of a real model, made by edgelm synth for benchmarks"));
        md.Set($"{a}.context_length", GgufValue.FromUInt32((uint)s.ContextLength));
        md.Set($"{a}.embedding_length", GgufValue.FromUInt32((uint)s.EmbeddingLength));
        md.Set($"{a}.block_count", GgufValue.FromUInt32((uint)s.BlockCount));
        md.Set($"{a}.feed_forward_length", GgufValue.FromUInt32((uint)s.FeedForwardLength));
        md.Set($"{a}.attention.head_count", GgufValue.FromUInt32((uint)s.HeadCount));
        md.Set($"{a}.attention.head_count_kv", GgufValue.FromUInt32((uint)s.HeadCountKv));
        md.Set($"{a}.rope.freq_base", GgufValue.FromFloat32(s.RopeFreqBase));
        md.Set($"{a}.attention.layer_norm_rms_epsilon", GgufValue.FromFloat32(s.RmsEpsilon));
        md.Set($"{a}.attention.key_length", GgufValue.FromUInt32((uint)s.HeadDim));
        md.Set($"{a}.attention.value_length", GgufValue.FromUInt32((uint)s.HeadDim));
        md.Set($"{a}.rope.dimension_count", GgufValue.FromUInt32((uint)s.HeadDim));
        md.Set($"{a}.vocab_size", GgufValue.FromUInt32((uint)vocab));
        if (a == "phi3")
            md.Set($"{a}.rope.scaling.original_context_length", GgufValue.FromUInt32((uint)s.ContextLength));
        md.Set("general.file_type", GgufValue.FromUInt32((uint)o.FileType));
        md.Set("general.quantization_version", GgufValue.FromUInt32(2));
        foreach (var (key, value) in o.Vocabulary)
            if (key.StartsWith("tokenizer.", StringComparison.Ordinal))
                md.Set(key, value);

        var writer = new GgufWriter(md);
        var tensors = Tensors(s, vocab);
        long totalElements = tensors.Sum(t => t.Dims.Aggregate(1L, (x, y) => x * y));
        long done = 0;
        float[]? ropeFreqs = s.RopeFreqs();
        foreach (var (name, dims) in tensors)
        {
            var type = dims.Length == 1 ? GgmlType.F32 : o.TypeOf(name, dims);
            long elements = dims.Aggregate(1L, (x, y) => x * y);
            writer.AddTensor(name, dims, type, stream =>
            {
                if (dims.Length == 1)
                    WriteVector(stream, name, (int)dims[0], ropeFreqs);
                else
                    WriteMatrix(stream, name, (int)dims[0], (int)dims[1], type, o.Seed, o.Threads);
                done += elements;
                progress?.Report((double)done / totalElements);
            });
        }
        writer.WriteFile(outputPath);
    }

    private static void WriteVector(Stream stream, string name, int n, float[]? ropeFreqs)
    {
        var v = new float[n];
        if (name == "rope_freqs.weight" && ropeFreqs is not null)
            ropeFreqs.CopyTo(v, 0);
        else if (!name.EndsWith(".bias", StringComparison.Ordinal))
            Array.Fill(v, 1f);
        stream.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(v.AsSpan()));
    }

    /// <summary>Generates and quantizes a matrix in slabs of rows, in parallel, streaming them to the file.</summary>
    private static void WriteMatrix(Stream stream, string name, int cols, int rows, GgmlType type, int seed, int threads)
    {
        long rowBytes = GgmlTypes.Info(type).RowBytes(cols);
        int slabRows = Math.Max(1, (int)Math.Min(rows, (64L << 20) / Math.Max(1, rowBytes)));
        var buffer = new byte[slabRows * rowBytes];
        ulong nameHash = Fnv(name) ^ (ulong)seed;
        for (int start = 0; start < rows; start += slabRows)
        {
            int count = Math.Min(slabRows, rows - start);
            int chunk = Math.Max(1, (count + threads * 4 - 1) / (threads * 4));
            int s0 = start;
            Parallel.For(0, (count + chunk - 1) / chunk, new ParallelOptions { MaxDegreeOfParallelism = threads }, c =>
            {
                var row = new float[cols];
                for (int r = c * chunk; r < Math.Min(count, (c + 1) * chunk); r++)
                {
                    FillRow(row, nameHash, s0 + r);
                    TensorFormats.Quantize(type, row, buffer.AsSpan((int)(r * rowBytes), (int)rowBytes));
                }
            });
            stream.Write(buffer, 0, (int)(count * rowBytes));
        }
    }

    /// <summary>Uniform values in [−0.02·√3, 0.02·√3] (standard deviation 0.02) from a per-row xorshift generator.</summary>
    private static void FillRow(float[] row, ulong nameHash, int r)
    {
        ulong x = nameHash * 0x9E3779B97F4A7C15UL + (ulong)r * 0xBF58476D1CE4E5B9UL + 1;
        const float scale = 0.02f * 1.7320508f / (1UL << 23);
        for (int i = 0; i < row.Length; i++)
        {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            row[i] = ((long)(x >> 40) - (1L << 23)) * scale;
        }
    }

    private static ulong Fnv(string s)
    {
        ulong h = 14695981039346656037UL;
        foreach (char c in s) { h ^= c; h *= 1099511628211UL; }
        return h;
    }
}
