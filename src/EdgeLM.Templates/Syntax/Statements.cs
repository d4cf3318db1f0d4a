namespace EdgeLM.Templates.Syntax;

internal abstract record Stmt(int Line, int Column);

internal sealed record OutputStmt(string Text, int Line, int Column) : Stmt(Line, Column);

internal sealed record PrintStmt(Expr Value, int Line, int Column) : Stmt(Line, Column);

internal sealed record IfStmt(IReadOnlyList<(Expr Condition, IReadOnlyList<Stmt> Body)> Branches, IReadOnlyList<Stmt>? Else, int Line, int Column) : Stmt(Line, Column);

internal sealed record ForStmt(Expr Target, Expr Iterable, Expr? Filter, IReadOnlyList<Stmt> Body, IReadOnlyList<Stmt>? Else, bool Recursive, int Line, int Column) : Stmt(Line, Column);

/// <summary><c>set target = value</c>; target is a name, a tuple of names, or ns.attr.</summary>
internal sealed record SetStmt(Expr Target, Expr Value, int Line, int Column) : Stmt(Line, Column);

/// <summary><c>{% set x | filters %}body{% endset %}</c>; Filters is a chain whose innermost Input is null.</summary>
internal sealed record SetBlockStmt(Expr Target, Expr? Filters, IReadOnlyList<Stmt> Body, int Line, int Column) : Stmt(Line, Column);

internal sealed record MacroParameter(string Name, Expr? Default);

internal sealed record MacroStmt(string Name, IReadOnlyList<MacroParameter> Parameters, IReadOnlyList<Stmt> Body, int Line, int Column) : Stmt(Line, Column);

internal sealed record CallBlockStmt(CallExpr Call, IReadOnlyList<MacroParameter> CallerParameters, IReadOnlyList<Stmt> Body, int Line, int Column) : Stmt(Line, Column);

internal sealed record FilterBlockStmt(Expr Filters, IReadOnlyList<Stmt> Body, int Line, int Column) : Stmt(Line, Column);

internal sealed record BreakStmt(int Line, int Column) : Stmt(Line, Column);

internal sealed record ContinueStmt(int Line, int Column) : Stmt(Line, Column);

/// <summary>A body that renders as if its tags were absent ({% generation %} from transformers).</summary>
internal sealed record ScopeStmt(IReadOnlyList<Stmt> Body, int Line, int Column) : Stmt(Line, Column);
