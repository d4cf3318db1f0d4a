namespace EdgeLM.Gguf;

/// <summary>
/// The name of a header field, built only when an error needs it: a vocabulary holds tens of thousands of
/// strings, and formatting "metadata 'tokenizer.ggml.tokens'[31999]" for each one would cost more than reading it.
/// </summary>
internal readonly struct GgufFieldName
{
    private readonly string _prefix;
    private readonly long _index;
    private readonly string? _suffix;

    public GgufFieldName(string prefix, long index = -1, string? suffix = null)
    {
        _prefix = prefix;
        _index = index;
        _suffix = suffix;
    }

    public static implicit operator GgufFieldName(string name) => new(name);

    /// <summary>The same field with a suffix such as " length" or " count" appended.</summary>
    public GgufFieldName With(string suffix) =>
        _suffix is null ? new GgufFieldName(_prefix, _index, suffix) : new GgufFieldName(ToString() + suffix);

    public override string ToString() =>
        _index < 0 ? _prefix + _suffix : $"{_prefix}[{_index}]{_suffix}";
}
