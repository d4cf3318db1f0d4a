using System.Text;
using System.Threading.Channels;
using EdgeLM.Inference.Sampling;
using EdgeLM.Tokenizers;

namespace EdgeLM.Inference.Scheduling;

/// <summary>The scheduler's state of one request: its slot, prompt progress, sampler, text and output channel.</summary>
internal sealed class Sequence
{
    public Sequence(SequenceRequest request, Tokenizer tokenizer, CancellationToken cancellation)
    {
        Request = request;
        Cancellation = cancellation;
        Sampler = new Sampler(request.Generation.Sampler);
        Sampler.Accept(request.Prompt);
        Decoder = tokenizer.CreateStreamingDecoder(atTextStart: false);
        Limit = request.Generation.MaxTokens < 0 ? int.MaxValue : request.Generation.MaxTokens;
    }

    public SequenceRequest Request { get; }
    public CancellationToken Cancellation { get; }
    public Sampler Sampler { get; }
    public StreamingDecoder Decoder { get; }
    public int Limit { get; }
    public Channel<SequenceChunk> Output { get; } = Channel.CreateUnbounded<SequenceChunk>(new UnboundedChannelOptions { SingleWriter = true });
    public TaskCompletionSource<SequenceResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public StringBuilder Text { get; } = new();
    public List<int> Generated { get; } = new();
    public JsonGrammar Grammar;

    /// <summary>The KV slot, or -1 while waiting.</summary>
    public int Slot { get; set; } = -1;

    /// <summary>Prompt tokens whose keys and values came from the slot's cache instead of being computed.</summary>
    public int CachedPromptTokens { get; set; }

    /// <summary>The sampled token to feed next step, or -1 while the prompt is still being processed.</summary>
    public int Pending { get; set; } = -1;

    /// <summary>Row of this sequence in the current step's logits, or -1.</summary>
    public int LogitRow { get; set; } = -1;

    public int Emitted { get; set; }

    /// <summary>Sum of the log-softmax probabilities of the generated tokens under the model's logits.</summary>
    public double LogprobSum { get; set; }

    public bool Finished { get; set; }
}
