using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace EdgeLM.Server.Http;

/// <summary>
/// Bearer-token check in constant time: both sides are hashed to equal length first, then compared with
/// <see cref="CryptographicOperations.FixedTimeEquals"/>, so neither the key nor its length leaks through timing.
/// </summary>
public sealed class ApiKeyCheck(string key)
{
    private readonly byte[] _expected = SHA256.HashData(Encoding.UTF8.GetBytes(key));

    public void Verify(HttpContext context)
    {
        string? header = context.Request.Headers.Authorization;
        string? presented = null;
        if (header is not null && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            presented = header[7..].Trim();
        else if (context.Request.Headers.TryGetValue("x-api-key", out var alt))
            presented = alt.ToString();
        if (presented is null)
            throw new ApiException(401, "missing API key: send 'Authorization: Bearer KEY'", "invalid_request_error", null, "invalid_api_key");
        var actual = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        if (!CryptographicOperations.FixedTimeEquals(actual, _expected))
            throw new ApiException(401, "invalid API key", "invalid_request_error", null, "invalid_api_key");
    }
}
