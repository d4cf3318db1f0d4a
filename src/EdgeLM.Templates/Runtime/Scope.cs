namespace EdgeLM.Templates.Runtime;

/// <summary>
/// A frame of variables. For-loop iterations and macro calls get a child frame, so a plain
/// <c>set</c> inside them does not leak out (Jinja2's scoping, the reason namespace() exists).
/// </summary>
internal sealed class Scope
{
    private readonly Dictionary<string, object?> _variables = new(StringComparer.Ordinal);

    public Scope(Scope? parent)
    {
        Parent = parent;
    }

    public Scope? Parent { get; }

    public bool TryGet(string name, out object? value)
    {
        for (var scope = this; scope is not null; scope = scope.Parent)
        {
            if (scope._variables.TryGetValue(name, out value))
                return true;
        }
        value = null;
        return false;
    }

    public bool TryGetLocal(string name) => _variables.ContainsKey(name);

    public void Set(string name, object? value) => _variables[name] = value;
}
