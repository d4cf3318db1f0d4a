namespace EdgeLM.ModelStore;

/// <summary>SHA-256 digests as lower-case hex text, and recognising one in an ETag.</summary>
public static class Sha256Text
{
    /// <summary>The digest in an ETag value (`"abc…"`, `W/"abc…"`), or null when it is not 64 hex digits.</summary>
    public static string? FromETag(string? etag)
    {
        if (etag is null)
            return null;
        string s = etag.Trim();
        if (s.StartsWith("W/", StringComparison.Ordinal))
            s = s[2..];
        s = s.Trim('"');
        return s.Length == 64 && s.All(Uri.IsHexDigit) ? s.ToLowerInvariant() : null;
    }

    public static string Of(ReadOnlySpan<byte> digest) => Convert.ToHexStringLower(digest);
}
