namespace EdgeLM.Quantization.Evaluation;

/// <summary>
/// Gathers llama-perplexity's KL-divergence statistics position by position (perplexity.cpp, log_softmax with a
/// base_log_prob and kl_divergence): the base's log-probs are first rounded to the 16-bit form of its base file.
/// </summary>
internal sealed class KlDivergenceAccumulator(int vocab)
{
    private readonly float[] _baseLogProbs = new float[vocab];
    private readonly List<float> _kld = new();
    private readonly List<float> _deltaP = new();
    private double _sumKld, _sumKld2, _sumDp, _sumDp2;
    private int _sameTop;

    public void Add(ReadOnlySpan<float> baseLogits, ReadOnlySpan<float> logits, int next)
    {
        LogProbabilities.RoundedBaseLogProbs(baseLogits, _baseLogProbs);
        float max = logits[0];
        int imax = 0;
        for (int i = 1; i < logits.Length; i++)
        {
            if (logits[i] > max)
            {
                max = logits[i];
                imax = i;
            }
        }
        double sumExp = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            sumExp += MathF.Exp(logits[i] - max);
        }
        float logNorm = max + (float)Math.Log(sumExp);
        float nll = logNorm - logits[next];
        float nllBase = -_baseLogProbs[next];
        double kld = 0;
        int imaxBase = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            float lpBase = _baseLogProbs[i];
            if (lpBase > _baseLogProbs[imaxBase])
            {
                imaxBase = i;
            }
            // Tokens more than 16 nats below the base's top are left out, as llama.cpp does.
            if (lpBase > -16f)
            {
                kld += MathF.Exp(lpBase) * (lpBase - logits[i] + logNorm);
            }
        }
        _sumKld += kld;
        _sumKld2 += kld * kld;
        _kld.Add((float)kld);
        if (imax == imaxBase)
        {
            _sameTop++;
        }
        float dp = MathF.Exp(-nll) - MathF.Exp(-nllBase);
        _sumDp += dp;
        _sumDp2 += (double)dp * dp;
        _deltaP.Add(dp);
    }

    public KlDivergenceResult Result()
    {
        int n = _kld.Count;
        double mean = _sumKld / n;
        double meanUnc = n > 1 ? Math.Sqrt(Math.Max(_sumKld2 / n - mean * mean, 0) / (n - 1)) : 0;
        double same = (double)_sameTop / n;
        double sameUnc = n > 1 ? Math.Sqrt(same * (1 - same) / (n - 1)) : 0;
        double dpMean = _sumDp / n;
        double dpRms = Math.Sqrt(_sumDp2 / n);
        var kld = _kld.ToArray();
        var dp = _deltaP.ToArray();
        Array.Sort(kld);
        Array.Sort(dp);
        return new KlDivergenceResult(mean, meanUnc, Percentile(kld, 0.5f), Percentile(kld, 0.99f), kld[^1], same, sameUnc,
            dpMean, dpRms, Percentile(dp, 0.99f), Percentile(dp, 0.01f), dp[^1], dp[0]);
    }

    // llama-perplexity's percentile: linear interpolation between sorted neighbours at fraction·(n−1).
    private static double Percentile(float[] sorted, float fraction)
    {
        float p = fraction * (sorted.Length - 1);
        int ip = (int)p;
        p -= ip;
        return (1 - p) * sorted[ip] + p * sorted[Math.Min(ip + 1, sorted.Length - 1)];
    }
}
