namespace EdgeLM.Inference.Scheduling;

/// <summary>One generation job for the <see cref="BatchScheduler"/>: prompt tokens and how to generate after them.</summary>
public sealed record SequenceRequest
{
    public required int[] Prompt { get; init; }

    public GenerationOptions Generation { get; init; } = new();

    /// <summary>How many alternatives to report per generated token (OpenAI top_logprobs); -1 reports no log-probs at all.</summary>
    public int TopLogprobs { get; init; } = -1;

    /// <summary>Constrain the output to one valid JSON object (OpenAI response_format json_object).</summary>
    public bool JsonObject { get; init; }

    /// <summary>A label for logs (the HTTP request id).</summary>
    public string? Id { get; init; }
}

/// <summary>A token's log-probability (natural log, of the model's distribution before sampling filters).</summary>
public readonly record struct TokenLogprob(int Token, float Logprob);

/// <summary>One generated token and the text it completed (text may be empty while a stop string is undecided).</summary>
public sealed record SequenceChunk(int Token, string Text, float Logprob, TokenLogprob[]? Top);

/// <summary>How a sequence ended, with its token counts.</summary>
public sealed record SequenceResult(string Text, StopReason StopReason, int PromptTokens, int CachedPromptTokens, int[] Tokens,
    string TrailingText)
{
    /// <summary>Mean natural-log probability of the generated tokens under the model (before sampling filters); NaN when none.</summary>
    public double MeanLogprob { get; init; } = double.NaN;
}
