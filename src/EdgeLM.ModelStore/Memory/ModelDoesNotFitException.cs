namespace EdgeLM.ModelStore;

/// <summary>
/// Loading a model with the asked context would need more memory than the machine has available. An
/// ArgumentException because the remedy is a smaller argument (-c, slots, quantization); the CLI prints it as a
/// user error.
/// </summary>
public sealed class ModelDoesNotFitException(string message, MemoryEstimate estimate, long availableBytes)
    : ArgumentException(message)
{
    public MemoryEstimate Estimate { get; } = estimate;

    public long AvailableBytes { get; } = availableBytes;
}
