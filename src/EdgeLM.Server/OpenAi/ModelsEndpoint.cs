using EdgeLM.Server.Http;
using Microsoft.AspNetCore.Http;

namespace EdgeLM.Server.OpenAi;

/// <summary>GET /v1/models and /v1/models/{id}: every model this server can serve, loaded or on demand.</summary>
public static class ModelsEndpoint
{
    public static Task List(ServerContext server, HttpContext context, RequestScope scope) =>
        JsonResponse.WriteAsync(context, 200, w =>
        {
            w.WriteStartObject();
            w.WriteString("object", "list");
            w.WriteStartArray("data");
            foreach (var (name, path) in server.Registry.Known())
                WriteModel(w, name, path);
            w.WriteEndArray();
            w.WriteEndObject();
        });

    public static Task Get(ServerContext server, HttpContext context, RequestScope scope)
    {
        string id = context.Request.RouteValues["id"]?.ToString() ?? "";
        foreach (var (name, path) in server.Registry.Known())
            if (string.Equals(name, id, StringComparison.OrdinalIgnoreCase))
                return JsonResponse.WriteAsync(context, 200, w => WriteModel(w, name, path));
        throw new ApiException(404, $"the model '{id}' does not exist", "invalid_request_error", "model", "model_not_found");
    }

    private static void WriteModel(System.Text.Json.Utf8JsonWriter w, string name, string path)
    {
        w.WriteStartObject();
        w.WriteString("id", name);
        w.WriteString("object", "model");
        w.WriteNumber("created", File.Exists(path) ? new DateTimeOffset(File.GetLastWriteTimeUtc(path)).ToUnixTimeSeconds() : 0);
        w.WriteString("owned_by", "edgelm");
        w.WriteEndObject();
    }
}
