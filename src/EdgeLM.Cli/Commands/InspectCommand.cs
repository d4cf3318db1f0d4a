using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using EdgeLM.Gguf;

// In the CLI's root namespace, so CommandCatalog registers it with one line and no using.
namespace EdgeLM.Cli;

/// <summary>
/// `edgelm inspect MODEL.gguf [--json]`: what a GGUF file holds (version, alignment, metadata, tensor table) and
/// its totals. Only the header is parsed; tensor data stays in the mapping untouched.
/// </summary>
public static class InspectCommand
{
    /// <summary>Array elements shown before "...": enough to recognise a vocabulary, short enough for one line.</summary>
    private const int TextArrayHead = 3;
    private const int JsonArrayHead = 8;
    private const int MaxTextString = 60;

    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "Path of the GGUF file" };
        var json = new Option<bool>("--json") { Description = "Write one JSON object instead of tables" };
        var command = new Command("inspect", "Show a GGUF model's metadata, tensors, parameter count and bits per weight");
        command.Arguments.Add(model);
        command.Options.Add(json);
        // System.CommandLine's default handler would catch a failure and print its stack trace; CliErrors turns
        // it into the one `error:` line and exit code the CLI promises.
        command.SetAction(parseResult => CliErrors.Run(() =>
        {
            string path = parseResult.GetValue(model)!;
            using var file = GgufFile.Open(path);
            var totals = Totals.Of(file);
            if (parseResult.GetValue(json))
            {
                using var stdout = Console.OpenStandardOutput();
                WriteJson(stdout, file, totals);
            }
            else
            {
                Console.Out.Write(FormatText(file, totals));
                Console.Out.Flush();
            }
            return 0;
        }));
        return command;
    }

    private readonly record struct Totals(long Parameters, long Bytes)
    {
        /// <summary>8 · tensor bytes / parameters: the storage cost of one weight, block scales included.</summary>
        public double BitsPerWeight => Parameters == 0 ? 0 : 8.0 * Bytes / Parameters;

        public static Totals Of(GgufFile file) =>
            new(file.Tensors.Sum(t => t.ElementCount), file.Tensors.Sum(t => t.ByteSize));
    }

    private static string FormatText(GgufFile file, Totals totals)
    {
        var sb = new StringBuilder();
        sb.Append("file:        ").AppendLine(file.Path);
        sb.Append("version:     ").AppendLine(file.Version.ToString(CultureInfo.InvariantCulture));
        sb.Append("alignment:   ").AppendLine(file.Alignment.ToString(CultureInfo.InvariantCulture));
        sb.Append("data offset: ").AppendLine(file.DataOffset.ToString(CultureInfo.InvariantCulture));
        sb.AppendLine();

        sb.AppendLine($"metadata ({file.Metadata.Count} keys)");
        var rows = file.Metadata.Select(kv => new[] { kv.Key, TypeName(kv.Value), Summarize(kv.Value) }).ToList();
        AppendTable(sb, ["key", "type", "value"], rows, rightAligned: []);
        sb.AppendLine();

        sb.AppendLine($"tensors ({file.Tensors.Count})");
        var tensorRows = file.Tensors.Select(t => new[]
        {
            t.Name, GgmlTypes.Info(t.Type).Name, t.ShapeString, t.ByteSize.ToString("N0", CultureInfo.InvariantCulture),
        }).ToList();
        AppendTable(sb, ["name", "type", "shape", "bytes"], tensorRows, rightAligned: [3]);
        sb.AppendLine();

        sb.Append("parameters:      ").AppendLine(totals.Parameters.ToString("N0", CultureInfo.InvariantCulture));
        sb.Append("tensor bytes:    ").AppendLine(totals.Bytes.ToString("N0", CultureInfo.InvariantCulture));
        sb.Append("bits per weight: ").AppendLine(totals.BitsPerWeight.ToString("F2", CultureInfo.InvariantCulture));
        return sb.ToString();
    }

    private static void AppendTable(StringBuilder sb, string[] headers, List<string[]> rows, int[] rightAligned)
    {
        var widths = headers.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        void Row(string[] cells)
        {
            sb.Append("  ");
            for (int i = 0; i < cells.Length; i++)
            {
                bool last = i == cells.Length - 1;
                string cell = rightAligned.Contains(i) ? cells[i].PadLeft(widths[i]) : last ? cells[i] : cells[i].PadRight(widths[i]);
                sb.Append(cell);
                if (!last)
                    sb.Append("  ");
            }
            sb.AppendLine();
        }
        Row(headers);
        Row(widths.Select(w => new string('-', w)).ToArray());
        foreach (var r in rows)
            Row(r);
    }

    private static string TypeName(GgufValue v) => v.IsArray ? $"[{v.ElementType} x {v.Count}]" : v.Type.ToString();

    /// <summary>One line per value: long strings (chat templates) cut with their length shown, arrays by their head.</summary>
    private static string Summarize(GgufValue v)
    {
        if (!v.IsArray)
        {
            return v.Type switch
            {
                GgufValueType.String => Quote(v.AsString(), MaxTextString),
                // Shown as the float it is (1E-06), not widened to double (9.99999997E-07).
                GgufValueType.Float32 => Scalar(v.AsFloat32()),
                _ => v.ToString(),
            };
        }
        var head = Elements(v).Take(TextArrayHead).Select(e => e switch
        {
            string s => Quote(s, 24),
            GgufValue inner => TypeName(inner),
            _ => Scalar(e),
        });
        string text = string.Join(", ", head);
        return v.Count > TextArrayHead ? text + ", ..." : text;
    }

    private static IEnumerable<object> Elements(GgufValue array)
    {
        foreach (object? e in array.ArrayValue!)
            yield return e!;
    }

    private static string Scalar(object e) => e switch
    {
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable n => n.ToString(null, CultureInfo.InvariantCulture),
        _ => e.ToString() ?? "",
    };

    /// <summary>Quoted and escaped so control characters (a template's newlines) cannot break the table.</summary>
    private static string Quote(string s, int max)
    {
        var sb = new StringBuilder("\"");
        int shown = 0;
        foreach (char ch in s)
        {
            if (shown == max)
                break;
            shown++;
            sb.Append(ch switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '"' => "\\\"",
                '\\' => "\\\\",
                < ' ' or '\u007f' => $"\\u{(int)ch:x4}",
                _ => ch.ToString(),
            });
        }
        sb.Append('"');
        if (shown < s.Length)
            sb.Append($"... ({s.Length} chars)");
        return sb.ToString();
    }

    private static void WriteJson(Stream output, GgufFile file, Totals totals)
    {
        var options = new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        using (var w = new Utf8JsonWriter(output, options))
        {
            w.WriteStartObject();
            w.WriteString("file", file.Path);
            w.WriteNumber("version", file.Version);
            w.WriteNumber("alignment", file.Alignment);
            w.WriteNumber("data_offset", file.DataOffset);
            w.WriteStartObject("metadata");
            foreach (var (key, value) in file.Metadata)
            {
                w.WritePropertyName(key);
                WriteJsonValue(w, value);
            }
            w.WriteEndObject();
            w.WriteStartArray("tensors");
            foreach (var t in file.Tensors)
            {
                w.WriteStartObject();
                w.WriteString("name", t.Name);
                w.WriteString("type", GgmlTypes.Info(t.Type).Name);
                w.WriteStartArray("shape");
                foreach (long d in t.Dimensions)
                    w.WriteNumberValue(d);
                w.WriteEndArray();
                w.WriteNumber("bytes", t.ByteSize);
                // Relative to the data section, as GGUF stores it; data_offset above makes it absolute.
                w.WriteNumber("offset", t.Offset);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteNumber("parameters", totals.Parameters);
            w.WriteNumber("bytes", totals.Bytes);
            w.WriteNumber("bits_per_weight", Math.Round(totals.BitsPerWeight, 4));
            w.WriteEndObject();
        }
        output.WriteByte((byte)'\n');
        output.Flush();
    }

    private static void WriteJsonValue(Utf8JsonWriter w, GgufValue v)
    {
        if (v.IsArray)
        {
            // Arrays are summarized: a vocabulary would otherwise be megabytes of output.
            w.WriteStartObject();
            w.WriteString("type", v.ElementType.ToString());
            w.WriteNumber("count", v.Count);
            w.WriteStartArray("head");
            foreach (object e in Elements(v).Take(JsonArrayHead))
            {
                if (e is GgufValue inner)
                    WriteJsonValue(w, inner);
                else
                    WriteJsonScalar(w, e);
            }
            w.WriteEndArray();
            w.WriteEndObject();
            return;
        }
        switch (v.Type)
        {
            case GgufValueType.String: w.WriteStringValue(v.AsString()); break;
            case GgufValueType.Bool: w.WriteBooleanValue(v.AsBool()); break;
            case GgufValueType.Float32: WriteJsonScalar(w, v.AsFloat32()); break;
            case GgufValueType.Float64: WriteJsonScalar(w, v.AsFloat64()); break;
            case GgufValueType.UInt64: w.WriteNumberValue(v.AsUInt64()); break;
            default: w.WriteNumberValue(v.AsInt64()); break;
        }
    }

    private static void WriteJsonScalar(Utf8JsonWriter w, object e)
    {
        switch (e)
        {
            case string s: w.WriteStringValue(s); break;
            case bool b: w.WriteBooleanValue(b); break;
            // JSON has no NaN or infinity: those are written as strings.
            case float f when !float.IsFinite(f): w.WriteStringValue(f.ToString(CultureInfo.InvariantCulture)); break;
            case double d when !double.IsFinite(d): w.WriteStringValue(d.ToString(CultureInfo.InvariantCulture)); break;
            case float f: w.WriteNumberValue(f); break;
            case double d: w.WriteNumberValue(d); break;
            case ulong u: w.WriteNumberValue(u); break;
            case uint u: w.WriteNumberValue(u); break;
            default: w.WriteNumberValue(Convert.ToInt64(e, CultureInfo.InvariantCulture)); break;
        }
    }
}
