using System.Diagnostics;
using EdgeLM.Inference;
using EdgeLM.Inference.Sampling;

namespace EdgeLM.Benchmarks.Duel;

/// <summary>
/// A GGUF model run in this process with greedy decoding (the trained model's evaluation protocol). The session
/// is reset before each prompt so no example profits from the previous one's cache.
/// </summary>
public sealed class LocalModelProvider : IDuelProvider
{
    private readonly Model _model;
    private readonly InferenceSession _session;
    private readonly TextGenerator _generator;

    public LocalModelProvider(string name, string path, int threads, int contextLength = 512)
    {
        Name = name;
        _model = Model.Load(path);
        _session = new InferenceSession(_model, new SessionOptions { ContextLength = contextLength, Threads = threads });
        _generator = new TextGenerator(_session);
    }

    public string Name { get; }

    public Task<Completion> CompleteAsync(string prompt, int maxTokens, CancellationToken cancellation) =>
        Task.Run(() => Complete(prompt, maxTokens, cancellation), cancellation);

    private Completion Complete(string prompt, int maxTokens, CancellationToken cancellation)
    {
        _session.Reset();
        int[] tokens = PromptEncoding.Encode(_model.Tokenizer, prompt, parseSpecial: false);
        var clock = Stopwatch.StartNew();
        double ttft = -1;
        var result = _generator.Generate(tokens, new GenerationOptions { MaxTokens = maxTokens, Sampler = SamplerOptions.Greedy },
            _ => { if (ttft < 0) ttft = clock.Elapsed.TotalMilliseconds; }, cancellation);
        double total = clock.Elapsed.TotalMilliseconds;
        // No text at all (immediate EOS): the first "token" is the end of the answer.
        return new Completion(result.Text, ttft < 0 ? total : ttft, total, tokens.Length, result.Tokens.Length);
    }

    public void Dispose()
    {
        _session.Dispose();
        _model.Dispose();
    }
}
