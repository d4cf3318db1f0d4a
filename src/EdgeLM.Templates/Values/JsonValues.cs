using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EdgeLM.Templates.Values;

/// <summary>Maps JSON to template values the way Python's json module does (object → ordered dict, integer → int, ...).</summary>
internal static class JsonValues
{
    public static object? FromElement(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => FromObject(element),
        JsonValueKind.Array => element.EnumerateArray().Select(FromElement).ToList(),
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => FromNumber(element.GetRawText()),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => null,
    };

    public static object? FromNode(JsonNode? node) => node is null ? null : FromElement(JsonSerializerElement(node));

    private static JsonElement JsonSerializerElement(JsonNode node)
    {
        using var doc = JsonDocument.Parse(node.ToJsonString());
        return doc.RootElement.Clone();
    }

    private static PyDict FromObject(JsonElement element)
    {
        var dict = new PyDict();
        foreach (var property in element.EnumerateObject())
            dict.Set(property.Name, FromElement(property.Value));
        return dict;
    }

    // Python's json gives int for literals without fraction or exponent and float otherwise.
    private static object FromNumber(string raw)
    {
        if (raw.AsSpan().IndexOfAny(".eE") < 0 && long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l))
            return l;
        return double.Parse(raw, CultureInfo.InvariantCulture);
    }

    /// <summary>Converts plain .NET values handed to Render (strings, numbers, lists, dictionaries, JSON nodes).</summary>
    public static object? FromClr(object? value) => value switch
    {
        null => null,
        string or bool or long or double or PyDict or Undefined or PyFunction => value,
        int i => (long)i,
        short s => (long)s,
        byte b => (long)b,
        uint u => (long)u,
        float f => (double)f,
        decimal m => (double)m,
        JsonElement e => FromElement(e),
        JsonNode n => FromNode(n),
        List<object?> list => list,
        IReadOnlyDictionary<string, object?> map => FromMap(map),
        System.Collections.IDictionary map => FromLegacyMap(map),
        System.Collections.IEnumerable items => items.Cast<object?>().Select(FromClr).ToList(),
        _ => value.ToString(),
    };

    private static PyDict FromMap(IReadOnlyDictionary<string, object?> map)
    {
        var dict = new PyDict();
        foreach (var kv in map)
            dict.Set(kv.Key, FromClr(kv.Value));
        return dict;
    }

    private static PyDict FromLegacyMap(System.Collections.IDictionary map)
    {
        var dict = new PyDict();
        foreach (System.Collections.DictionaryEntry kv in map)
            dict.Set(FromClr(kv.Key), FromClr(kv.Value));
        return dict;
    }
}
