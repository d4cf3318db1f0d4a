namespace EdgeLM.Templates.Values;

/// <summary>The object <c>namespace()</c> returns: the one value templates may mutate with <c>set ns.attr</c>.</summary>
internal sealed class NamespaceObject
{
    public PyDict Attributes { get; } = new();
}
