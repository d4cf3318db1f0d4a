using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace EdgeLM.Server.Http;

/// <summary>Reads a request body as one JSON object, refusing bodies over the size limit before reading them whole.</summary>
public static class JsonBody
{
    public static async Task<JsonObject> ReadObjectAsync(HttpContext context, long maxBytes)
    {
        if (context.Request.ContentLength is long declared && declared > maxBytes)
            throw TooLarge(maxBytes);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        var body = context.Request.Body;
        while (true)
        {
            int n;
            try
            {
                n = await body.ReadAsync(chunk, context.RequestAborted);
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                throw TooLarge(maxBytes);
            }
            if (n == 0)
                break;
            if (buffer.Length + n > maxBytes)
                throw TooLarge(maxBytes);
            buffer.Write(chunk, 0, n);
        }
        if (buffer.Length == 0)
            throw ApiException.BadRequest("the request body is empty; send a JSON object");
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length).Span,
                documentOptions: new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            throw ApiException.BadRequest($"the request body is not valid JSON: {e.Message}");
        }
        return node as JsonObject ?? throw ApiException.BadRequest("the request body must be a JSON object");
    }

    private static ApiException TooLarge(long maxBytes) =>
        new(413, $"the request body is larger than the limit of {maxBytes} bytes", "invalid_request_error", null, "request_too_large");
}
