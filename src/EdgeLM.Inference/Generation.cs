using System.Diagnostics;
using System.Text;
using EdgeLM.Inference.Sampling;

namespace EdgeLM.Inference;

/// <summary>Why generation stopped.</summary>
public enum StopReason
{
    /// <summary>The model produced an end-of-generation token.</summary>
    EndOfGeneration,

    /// <summary>A stop string appeared in the text.</summary>
    StopString,

    /// <summary>The token limit was reached.</summary>
    Length,

    /// <summary>The context window is full.</summary>
    ContextFull,

    /// <summary>The caller cancelled.</summary>
    Cancelled,
}

/// <summary>What to generate and when to stop.</summary>
public sealed record GenerationOptions
{
    /// <summary>Maximum tokens to generate; a negative value means until the context is full.</summary>
    public int MaxTokens { get; init; } = 128;

    public SamplerOptions Sampler { get; init; } = new();

    public IReadOnlyList<string> StopStrings { get; init; } = Array.Empty<string>();

    /// <summary>Stop at the vocabulary's end-of-generation tokens (EOS, EOT, ...).</summary>
    public bool StopAtEndOfGeneration { get; init; } = true;
}

/// <summary>Timings of one generation, llama.cpp-style.</summary>
public sealed record GenerationTimings(double PromptMs, int PromptTokensEvaluated, double GenerationMs, int GeneratedTokens)
{
    public double PromptTokensPerSecond => PromptMs > 0 ? PromptTokensEvaluated * 1000.0 / PromptMs : 0;

    /// <summary>Tokens per second of generation (the first token's forward pass counts to the prompt).</summary>
    public double TokensPerSecond => GenerationMs > 0 ? GeneratedTokens * 1000.0 / GenerationMs : 0;
}

public sealed record GenerationResult(int[] PromptTokens, int[] Tokens, string Text, StopReason StopReason, GenerationTimings Timings);

/// <summary>
/// Prompt → tokens → text: prefills the session (reusing its cached prefix), then samples token by token,
/// streaming complete UTF-8 text and stopping on end-of-generation tokens, stop strings, the token limit,
/// a full context or cancellation. Text that might be the start of a stop string is held back until decided.
/// </summary>
public sealed class TextGenerator(InferenceSession session)
{
    public InferenceSession Session { get; } = session;

    public GenerationResult Generate(IReadOnlyList<int> prompt, GenerationOptions options, Action<string>? onText = null,
        CancellationToken cancellation = default)
    {
        var tokenizer = Session.Model.Tokenizer;
        var sampler = new Sampler(options.Sampler);
        var promptArray = prompt.ToArray();
        sampler.Accept(promptArray);

        var clock = Stopwatch.StartNew();
        Session.Prefill(promptArray);
        double promptMs = clock.Elapsed.TotalMilliseconds;
        int promptEvaluated = Session.LastPrefillEvaluated;

        var decoder = tokenizer.CreateStreamingDecoder(atTextStart: false);
        var generated = new List<int>();
        var text = new StringBuilder();
        int emitted = 0;
        int limit = options.MaxTokens < 0 ? int.MaxValue : options.MaxTokens;
        var reason = StopReason.Length;
        clock.Restart();
        while (generated.Count < limit)
        {
            if (cancellation.IsCancellationRequested) { reason = StopReason.Cancelled; break; }
            int token = sampler.Sample(Session.LastLogits);
            if (options.StopAtEndOfGeneration && tokenizer.EndOfGenerationIds.Contains(token))
            {
                reason = StopReason.EndOfGeneration;
                break;
            }
            generated.Add(token);
            sampler.Accept(token);
            text.Append(decoder.Push(token));
            if (Scheduling.StopStrings.Match(text, options.StopStrings, 0, out int cut))
            {
                text.Length = cut;
                reason = StopReason.StopString;
                break;
            }
            int safe = text.Length - Scheduling.StopStrings.HeldBack(text, options.StopStrings);
            if (safe > emitted)
            {
                onText?.Invoke(text.ToString(emitted, safe - emitted));
                emitted = safe;
            }
            if (generated.Count >= limit)
                break;
            if (Session.Tokens.Count >= Session.ContextLength)
            {
                reason = StopReason.ContextFull;
                break;
            }
            Session.Decode(token);
        }
        if (reason != StopReason.StopString)
            text.Append(decoder.Flush());
        if (text.Length > emitted)
            onText?.Invoke(text.ToString(emitted, text.Length - emitted));
        double genMs = clock.Elapsed.TotalMilliseconds;
        return new GenerationResult(promptArray, generated.ToArray(), text.ToString(), reason,
            new GenerationTimings(promptMs, promptEvaluated, genMs, generated.Count));
    }
}
