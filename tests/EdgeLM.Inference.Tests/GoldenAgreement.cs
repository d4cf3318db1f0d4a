using EdgeLM.TestSupport;

namespace EdgeLM.Inference.Tests;

/// <summary>
/// The acceptance rule of the engine issue for one golden file: B = max(0.02, 2 × llama.cpp's own
/// incremental-vs-batch disagreement); max |Δ logprob| over the reference's top-10 ≤ B at every position; mean
/// |Δ| ≤ 0.01 (F32/F16/BF16/Q8_0/Q6_K/5-bit) or ≤ 0.03 (4-, 3-, 2-bit); same top-1 where the reference's
/// top-1/top-2 margin exceeds B.
/// </summary>
public static class GoldenAgreement
{
    public static double Bound(GoldenFile g) => Math.Max(0.02, 2 * g.IncrementalVsBatchTop10);

    public static double MeanLimit(string modelFile)
    {
        string[] fine = ["-F32", "-F16", "-BF16", "-Q8_0", "-Q6_K", "-Q5_"];
        return fine.Any(modelFile.Contains) ? 0.01 : 0.03;
    }

    /// <summary>Checks all positions; returns a one-line summary for the test output.</summary>
    public static string Check(GoldenFile g, float[] logits, int vocab)
    {
        double bound = Bound(g), meanLimit = MeanLimit(g.Model);
        double max = 0, sum = 0;
        int count = 0, maxPos = -1;
        var failures = new List<string>();
        for (int i = 0; i < g.Tokens.Length; i++)
        {
            var lp = GoldenFile.LogSoftmax(logits.AsSpan(i * vocab, vocab));
            foreach (var (id, reference) in g.Top[i])
            {
                double d = Math.Abs(lp[id] - reference);
                sum += d;
                count++;
                if (d > max) { max = d; maxPos = i; }
            }
            double margin = g.Top[i][0].LogProb - g.Top[i][1].LogProb;
            int mine = 0;
            for (int v = 1; v < vocab; v++)
                if (lp[v] > lp[mine]) mine = v;
            if (margin > bound && mine != g.Top[i][0].Id)
                failures.Add($"position {i}: top-1 {mine}, reference {g.Top[i][0].Id} (margin {margin:F3})");
        }
        double mean = sum / count;
        string summary = $"{g.FileName}: max |Δ| {max:F5} at {maxPos} (bound {bound:F3}), mean {mean:F5} (limit {meanLimit})";
        if (max > bound) failures.Add($"max |Δ logprob| {max:F5} > {bound:F3} at position {maxPos}");
        if (mean > meanLimit) failures.Add($"mean |Δ logprob| {mean:F5} > {meanLimit}");
        Assert.True(failures.Count == 0, summary + "; " + string.Join("; ", failures));
        return summary;
    }
}
