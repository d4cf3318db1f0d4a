using System.Text.Encodings.Web;
using System.Text.Json;

namespace EdgeLM.Cli;

/// <summary>JSON writer settings for command output: readable text (quotes and non-ASCII not \u-escaped).</summary>
public static class JsonOutput
{
    public static JsonWriterOptions Compact { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static JsonWriterOptions Indented { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = true };
}
