using EdgeLM.Gguf;
using EdgeLM.Kernels.Formats;

namespace EdgeLM.Quantization.Imatrix;

/// <summary>
/// Per-column importance of each weight matrix: the mean squared input activation of every column, in llama.cpp's
/// imatrix GGUF format (tools/imatrix: metadata general.type = "imatrix", imatrix.datasets, imatrix.chunk_count,
/// imatrix.chunk_size; per matrix an F32 tensor "&lt;name&gt;.in_sum2" [ne0, n_mat] with the sums of squares and
/// "&lt;name&gt;.counts" [1, n_mat] with how many activation rows were summed). Importance = in_sum2 / counts.
/// </summary>
public sealed class ImportanceMatrix
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public ImportanceMatrix(IEnumerable<string> datasets, int chunkCount, int chunkSize)
    {
        Datasets = datasets.ToArray();
        ChunkCount = chunkCount;
        ChunkSize = chunkSize;
    }

    public IReadOnlyList<string> Datasets { get; }
    public int ChunkCount { get; }
    public int ChunkSize { get; }
    public int Count => _entries.Count;
    public IEnumerable<string> Names => _entries.Keys;

    /// <summary>Adds the sums of squared activations of one matrix (one row per expert, a single row for dense weights).</summary>
    public void Add(string weightName, float[] sumOfSquares, float[] counts)
    {
        if (counts.Length == 0 || sumOfSquares.Length == 0 || sumOfSquares.Length % counts.Length != 0)
        {
            throw new InvalidDataException($"imatrix entry '{weightName}': {sumOfSquares.Length} sums do not split into {counts.Length} matrices");
        }
        _entries[weightName] = new Entry(sumOfSquares, counts);
    }

    /// <summary>
    /// The importance of each column of <paramref name="weightName"/> (sums divided by counts, 1 where nothing was
    /// counted, as llama-quantize's load_imatrix does), or null when the file has no entry for it.
    /// </summary>
    public float[]? ImportanceOf(string weightName)
    {
        if (!_entries.TryGetValue(weightName, out var e))
        {
            return null;
        }
        int perMatrix = e.Sums.Length / e.Counts.Length;
        var result = new float[e.Sums.Length];
        for (int j = 0; j < e.Counts.Length; j++)
        {
            float count = e.Counts[j];
            for (int i = 0; i < perMatrix; i++)
            {
                result[j * perMatrix + i] = count > 0 ? e.Sums[j * perMatrix + i] / count : 1f;
            }
        }
        return result;
    }

    /// <summary>Reads an imatrix GGUF file; throws naming the file and entry when it is damaged.</summary>
    public static ImportanceMatrix Load(string path)
    {
        using var file = GgufFile.Open(path);
        string name = Path.GetFileName(path);
        var md = file.Metadata;
        if (md.GetStringOrNull("general.type") != "imatrix")
        {
            throw new InvalidDataException($"{name} is not an imatrix file (general.type is '{md.GetStringOrNull("general.type")}', expected 'imatrix')");
        }
        var datasets = md.Contains("imatrix.datasets") ? md.GetStringArray("imatrix.datasets") : [];
        var result = new ImportanceMatrix(datasets, md.GetInt32Or("imatrix.chunk_count", 0), md.GetInt32Or("imatrix.chunk_size", 0));
        foreach (var t in file.Tensors)
        {
            if (!t.Name.EndsWith(".in_sum2", StringComparison.Ordinal))
            {
                continue;
            }
            string weight = t.Name[..^".in_sum2".Length];
            var counts = file.FindTensor(weight + ".counts")
                ?? throw new InvalidDataException($"{name}: tensor '{t.Name}' has no matching '{weight}.counts'");
            if (t.Type != GgmlType.F32 || counts.Type != GgmlType.F32)
            {
                throw new InvalidDataException($"{name}: imatrix tensors of '{weight}' must be F32");
            }
            if (t.Dimensions.Length != 2 || counts.ElementCount != t.Dimensions[1])
            {
                throw new InvalidDataException($"{name}: '{weight}.in_sum2' has shape [{t.ShapeString}] but '{weight}.counts' has {counts.ElementCount} values");
            }
            var sums = ReadFloats(file, t);
            var c = ReadFloats(file, counts);
            foreach (float v in sums)
            {
                if (!float.IsFinite(v) || v < 0)
                {
                    throw new InvalidDataException($"{name}: '{t.Name}' holds {v}; sums of squares must be finite and non-negative");
                }
            }
            result.Add(weight, sums, c);
        }
        if (result.Count == 0)
        {
            throw new InvalidDataException($"{name} holds no imatrix entries (no '*.in_sum2' tensors)");
        }
        return result;
    }

    /// <summary>Writes the file in llama.cpp's layout (entries sorted by name), to a temporary file renamed at the end.</summary>
    public void Save(string path)
    {
        var md = new GgufMetadata();
        md.Set("general.type", GgufValue.FromString("imatrix"));
        md.Set("imatrix.datasets", GgufValue.FromStrings(Datasets.ToArray()));
        md.Set("imatrix.chunk_count", GgufValue.FromUInt32((uint)ChunkCount));
        md.Set("imatrix.chunk_size", GgufValue.FromUInt32((uint)ChunkSize));
        var writer = new GgufWriter(md);
        foreach (var (name, e) in _entries.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            writer.AddTensor(name + ".in_sum2", [e.Sums.Length / e.Counts.Length, e.Counts.Length], GgmlType.F32, ToBytes(e.Sums));
            writer.AddTensor(name + ".counts", [1, e.Counts.Length], GgmlType.F32, ToBytes(e.Counts));
        }
        writer.WriteFile(path);
    }

    private static float[] ReadFloats(GgufFile file, GgufTensorInfo t)
    {
        var result = new float[t.ElementCount];
        TensorFormats.Dequantize(GgmlType.F32, file.TensorData(t), result);
        return result;
    }

    private static byte[] ToBytes(float[] values)
    {
        var bytes = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        return bytes;
    }

    private sealed record Entry(float[] Sums, float[] Counts);
}
