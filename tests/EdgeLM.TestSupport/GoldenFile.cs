using System.Text.Json;

namespace EdgeLM.TestSupport;

/// <summary>One file of ../shared/testdata/golden (or trained/golden): llama.cpp's top-10 log-probs per position.</summary>
public sealed class GoldenFile
{
    public required string FileName { get; init; }
    public required string Model { get; init; }
    public required string Case { get; init; }
    public required string Prompt { get; init; }
    public required bool AddBos { get; init; }
    public required int NPrompt { get; init; }
    public required int[] Tokens { get; init; }

    /// <summary>Per position: llama.cpp's top-10 (id, logprob), best first.</summary>
    public required (int Id, double LogProb)[][] Top { get; init; }

    /// <summary>Per position: the float64 reference's log-probs at the same ids as <see cref="Top"/>.</summary>
    public required double[][] RefF64 { get; init; }
    public required int[] GreedyTokens { get; init; }
    public required double[] GreedyMargins { get; init; }
    public required double IncrementalVsBatchTop10 { get; init; }

    public static GoldenFile Load(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        var r = doc.RootElement;
        var positions = r.GetProperty("positions").EnumerateArray().ToArray();
        return new GoldenFile
        {
            FileName = Path.GetFileName(path),
            Model = r.GetProperty("model").GetString()!,
            Case = r.GetProperty("case").GetString()!,
            Prompt = r.GetProperty("prompt").GetString()!,
            AddBos = r.GetProperty("add_bos").GetBoolean(),
            NPrompt = r.GetProperty("n_prompt").GetInt32(),
            Tokens = r.GetProperty("tokens").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
            Top = positions.Select(p => p.GetProperty("top").EnumerateArray()
                .Select(pair => (pair[0].GetInt32(), pair[1].GetDouble())).ToArray()).ToArray(),
            RefF64 = positions.Select(p => p.TryGetProperty("ref_f64", out var rf)
                ? rf.EnumerateArray().Select(e => e.GetDouble()).ToArray() : Array.Empty<double>()).ToArray(),
            GreedyTokens = r.GetProperty("greedy").GetProperty("tokens").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
            GreedyMargins = r.GetProperty("greedy").GetProperty("margins").EnumerateArray().Select(e => e.GetDouble()).ToArray(),
            IncrementalVsBatchTop10 = r.GetProperty("incremental_vs_batch_max_abs_logprob_diff_top10").GetDouble(),
        };
    }

    /// <summary>The golden files of ../shared/testdata/golden, by file name.</summary>
    public static IEnumerable<string> AllTinyModelFiles() =>
        Directory.EnumerateFiles(TestData.File("golden"), "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal)!;

    /// <summary>log-softmax of one row of logits, in double (the golden files' convention).</summary>
    public static double[] LogSoftmax(ReadOnlySpan<float> logits)
    {
        double max = double.NegativeInfinity;
        foreach (float z in logits) max = Math.Max(max, z);
        double sum = 0;
        foreach (float z in logits) sum += Math.Exp(z - max);
        double lse = max + Math.Log(sum);
        var lp = new double[logits.Length];
        for (int i = 0; i < logits.Length; i++) lp[i] = logits[i] - lse;
        return lp;
    }
}
