using System.Threading.Channels;

namespace EdgeLM.Inference.Scheduling;

/// <summary>
/// The caller's side of a submitted sequence: generated tokens arrive on <see cref="Chunks"/> as they are
/// sampled (a chunk with Token = -1 carries text released at the end), and <see cref="Completion"/> gives the
/// whole result once the sequence has left the batch and its slot is free.
/// </summary>
public sealed class SequenceHandle
{
    internal SequenceHandle(ChannelReader<SequenceChunk> chunks, Task<SequenceResult> completion)
    {
        Chunks = chunks;
        Completion = completion;
    }

    public ChannelReader<SequenceChunk> Chunks { get; }

    public Task<SequenceResult> Completion { get; }
}
