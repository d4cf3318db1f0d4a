namespace EdgeLM.Templates.Syntax;

/// <summary>An expression node; Line and Column point at its first token for error messages.</summary>
internal abstract record Expr(int Line, int Column);

internal sealed record ConstExpr(object? Value, int Line, int Column) : Expr(Line, Column);

internal sealed record NameExpr(string Name, int Line, int Column) : Expr(Line, Column);

internal sealed record ListExpr(IReadOnlyList<Expr> Items, int Line, int Column) : Expr(Line, Column);

internal sealed record TupleExpr(IReadOnlyList<Expr> Items, int Line, int Column) : Expr(Line, Column);

internal sealed record DictExpr(IReadOnlyList<(Expr Key, Expr Value)> Pairs, int Line, int Column) : Expr(Line, Column);

internal sealed record AttributeExpr(Expr Target, string Attribute, int Line, int Column) : Expr(Line, Column);

internal sealed record ItemExpr(Expr Target, Expr Index, int Line, int Column) : Expr(Line, Column);

internal sealed record SliceExpr(Expr Target, Expr? Start, Expr? Stop, Expr? Step, int Line, int Column) : Expr(Line, Column);

/// <summary>Arguments as written at a call site: positional, keyword, and optional *args / **kwargs.</summary>
internal sealed record ArgumentList(IReadOnlyList<Expr> Positional, IReadOnlyList<(string Name, Expr Value)> Keywords, Expr? StarArgs, Expr? StarKwargs)
{
    public static readonly ArgumentList None = new([], [], null, null);
}

internal sealed record CallExpr(Expr Callee, ArgumentList Arguments, int Line, int Column) : Expr(Line, Column);

/// <summary>A filter application; Input is null inside filter blocks and set blocks, where the body is the input.</summary>
internal sealed record FilterExpr(Expr? Input, string Name, ArgumentList Arguments, int Line, int Column) : Expr(Line, Column);

internal sealed record TestExpr(Expr Input, string Name, ArgumentList Arguments, bool Negated, int Line, int Column) : Expr(Line, Column);

internal sealed record UnaryExpr(string Operator, Expr Operand, int Line, int Column) : Expr(Line, Column);

/// <summary>Binary operators including 'and' / 'or' (which short-circuit and return an operand, as in Python).</summary>
internal sealed record BinaryExpr(string Operator, Expr Left, Expr Right, int Line, int Column) : Expr(Line, Column);

/// <summary>A comparison chain like <c>a &lt; b &lt;= c</c>; operators are ==, !=, &lt;, &lt;=, &gt;, &gt;=, in, notin.</summary>
internal sealed record CompareExpr(Expr First, IReadOnlyList<(string Operator, Expr Operand)> Rest, int Line, int Column) : Expr(Line, Column);

internal sealed record ConcatExpr(IReadOnlyList<Expr> Parts, int Line, int Column) : Expr(Line, Column);

/// <summary><c>a if cond else b</c>; a missing else gives undefined.</summary>
internal sealed record ConditionalExpr(Expr Condition, Expr WhenTrue, Expr? WhenFalse, int Line, int Column) : Expr(Line, Column);
