namespace EdgeLM.Templates.Values;

/// <summary>
/// A lazy, single-use sequence like a Python generator (what select, map, ... return). It matters
/// because tojson and len reject generators in Python, and a template can observe that.
/// </summary>
internal sealed class PyGenerator
{
    private IEnumerator<object?>? _source;

    public PyGenerator(IEnumerable<object?> source)
    {
        _source = source.GetEnumerator();
    }

    public IEnumerable<object?> Consume()
    {
        var source = _source;
        _source = null;
        if (source is null)
            yield break;
        while (source.MoveNext())
            yield return source.Current;
    }
}
