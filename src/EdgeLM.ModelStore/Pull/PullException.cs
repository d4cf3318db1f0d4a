namespace EdgeLM.ModelStore;

/// <summary>A pull that failed: not found, access refused, interrupted, or a file that does not match its hash.</summary>
public sealed class PullException(string message, int? statusCode = null) : IOException(message)
{
    /// <summary>The HTTP status that caused it, when one did.</summary>
    public int? StatusCode { get; } = statusCode;
}
