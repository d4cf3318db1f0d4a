namespace EdgeLM.Quantization.Evaluation;

/// <summary>
/// Result of a perplexity run. <see cref="MeanNll"/> = ln PPL (natural log); the uncertainty follows llama.cpp:
/// sqrt((mean(NLL²) − mean(NLL)²) / (N − 1)).
/// </summary>
public sealed record PerplexityResult(double Perplexity, double MeanNll, double MeanNllUncertainty, int ChunkCount, int ScoredCount,
    KlDivergenceResult? KlDivergence);

/// <summary>
/// Divergence of a model from a base model over the scored positions, with llama-perplexity's definitions: KL over
/// the base's tokens with ln p_base &gt; −16 (base log-probs rounded to 16 bits), "same top" = argmax agreement,
/// Δp = p(next token) − p_base(next token). Δp values are fractions (multiply by 100 for llama.cpp's percent).
/// </summary>
public sealed record KlDivergenceResult(
    double Mean, double MeanUncertainty, double Median, double Percentile99, double Maximum,
    double SameTopFraction, double SameTopUncertainty,
    double DeltaPMean, double DeltaPRms, double DeltaPPercentile99, double DeltaPPercentile1, double DeltaPMaximum, double DeltaPMinimum);
