using EdgeLM.Inference;
using EdgeLM.Inference.Scheduling;

namespace EdgeLM.Server.Observability;

/// <summary>The per-request statistics the drift monitor watches.</summary>
public readonly record struct DriftSample(int PromptTokens, int OutputTokens, double MeanLogprob, bool EmptyOrTruncated)
{
    /// <summary>The names the statistics carry on /metrics and in warnings, in <see cref="Value"/> order.</summary>
    public static IReadOnlyList<string> Statistics { get; } = ["prompt_tokens", "output_tokens", "mean_logprob", "empty_or_truncated"];

    public static DriftSample From(SequenceResult result) => new(
        result.PromptTokens,
        result.Tokens.Length,
        result.MeanLogprob,
        result.Text.Length == 0 || result.StopReason is StopReason.Length or StopReason.ContextFull);

    /// <summary>Statistic <paramref name="index"/> as a number; NaN (mean_logprob of an empty reply) is left out of its windows.</summary>
    public double Value(int index) => index switch
    {
        0 => PromptTokens,
        1 => OutputTokens,
        2 => MeanLogprob,
        3 => EmptyOrTruncated ? 1 : 0,
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };
}
