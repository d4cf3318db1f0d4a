namespace EdgeLM.Quantization.Evaluation;

/// <summary>Log-softmax helpers with the arithmetic of llama-perplexity (tools/perplexity/perplexity.cpp).</summary>
internal static class LogProbabilities
{
    /// <summary>−ln softmax(logits)[token], accumulated in double as llama.cpp's log_softmax does.</summary>
    public static double NegativeLogLikelihood(ReadOnlySpan<float> logits, int token)
    {
        float max = logits[0];
        for (int i = 1; i < logits.Length; i++)
        {
            max = Math.Max(max, logits[i]);
        }
        double sum = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            sum += Math.Exp(logits[i] - max);
        }
        return Math.Log(sum) - (logits[token] - max);
    }

    /// <summary>
    /// The base model's log-probs as llama.cpp stores them in its KL base file: 16-bit steps between
    /// max(min logit, max − 16) and the max, with a scale and an offset; tokens below the floor read back as the floor.
    /// Writes the dequantized log-probs into <paramref name="logProbs"/>.
    /// </summary>
    public static void RoundedBaseLogProbs(ReadOnlySpan<float> logits, Span<float> logProbs)
    {
        float max = logits[0], min = logits[0];
        for (int i = 1; i < logits.Length; i++)
        {
            max = Math.Max(max, logits[i]);
            min = Math.Min(min, logits[i]);
        }
        min = Math.Max(min, max - 16);
        double sumExp = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            sumExp += MathF.Exp(logits[i] - max);
        }
        float logSumExp = (float)Math.Log(sumExp);
        float minLogProb = min - max - logSumExp;
        float scale = (max - min) / 65535f;
        float inv = scale != 0 ? 1 / scale : 0;
        for (int i = 0; i < logits.Length; i++)
        {
            // nearest_int adds 1.5·2^23 and reads the mantissa: round half to even.
            ushort q = scale != 0 && logits[i] > min ? (ushort)MathF.Round(inv * (logits[i] - min), MidpointRounding.ToEven) : (ushort)0;
            logProbs[i] = scale * q + minLogProb;
        }
    }
}
