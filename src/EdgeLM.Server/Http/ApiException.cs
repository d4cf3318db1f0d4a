namespace EdgeLM.Server.Http;

/// <summary>
/// A request that cannot be served, with what OpenAI's error object needs: HTTP status, error type, the
/// offending parameter and a machine-readable code. Ollama routes render the same exception as {"error": message}.
/// </summary>
public sealed class ApiException(int status, string message, string type = "invalid_request_error", string? param = null,
    string? code = null) : Exception(message)
{
    public int Status { get; } = status;
    public string Type { get; } = type;
    public string? Param { get; } = param;
    public string? Code { get; } = code;

    /// <summary>Seconds a client should wait before retrying (503 when the queue is full).</summary>
    public int? RetryAfter { get; init; }

    public static ApiException BadRequest(string message, string? param = null, string? code = null) =>
        new(400, message, "invalid_request_error", param, code);
}
