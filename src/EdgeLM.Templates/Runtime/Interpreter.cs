using System.Text;
using EdgeLM.Templates.Syntax;
using EdgeLM.Templates.Values;

namespace EdgeLM.Templates.Runtime;

/// <summary>Walks the syntax tree and writes output, with Jinja2's runtime semantics.</summary>
internal sealed class Interpreter
{
    private const int MaxCallDepth = 100;

    private enum Flow
    {
        Normal,
        Break,
        Continue,
    }

    private readonly string? _templateName;
    private readonly TimeProvider _clock;
    private int _callDepth;

    public Interpreter(string? templateName, TimeProvider clock)
    {
        _templateName = templateName;
        _clock = clock;
    }

    public string? TemplateName => _templateName;

    public DateTime Now => _clock.GetLocalNow().DateTime;

    public string Render(IReadOnlyList<Stmt> body, Scope globals)
    {
        var sb = new StringBuilder();
        Execute(body, new Scope(globals), sb);
        return sb.ToString();
    }

    private Flow Execute(IReadOnlyList<Stmt> body, Scope scope, StringBuilder output)
    {
        foreach (var stmt in body)
        {
            Flow flow;
            try
            {
                flow = ExecuteOne(stmt, scope, output);
            }
            catch (TemplateException e) when (!e.HasPosition)
            {
                throw e.WithPosition(_templateName, stmt.Line, stmt.Column);
            }
            if (flow != Flow.Normal)
                return flow;
        }
        return Flow.Normal;
    }

    private Flow ExecuteOne(Stmt stmt, Scope scope, StringBuilder output)
    {
        switch (stmt)
        {
            case OutputStmt o:
                output.Append(o.Text);
                return Flow.Normal;
            case PrintStmt p:
                output.Append(PyRepr.Str(Evaluate(p.Value, scope)));
                return Flow.Normal;
            case IfStmt i:
                foreach (var (condition, branch) in i.Branches)
                {
                    if (PyOps.IsTrue(Evaluate(condition, scope)))
                        return Execute(branch, scope, output);
                }
                return i.Else is null ? Flow.Normal : Execute(i.Else, scope, output);
            case ForStmt f:
                ExecuteFor(f, scope, output);
                return Flow.Normal;
            case SetStmt s:
                Assign(s.Target, Evaluate(s.Value, scope), scope);
                return Flow.Normal;
            case SetBlockStmt sb:
                {
                    var captured = new StringBuilder();
                    Execute(sb.Body, scope, captured);
                    object? value = captured.ToString();
                    if (sb.Filters is not null)
                        value = ApplyFilterChain(sb.Filters, value, scope);
                    Assign(sb.Target, value, scope);
                    return Flow.Normal;
                }
            case MacroStmt m:
                scope.Set(m.Name, MakeMacro(m.Name, m.Parameters, m.Body, scope, caller: null));
                return Flow.Normal;
            case CallBlockStmt c:
                {
                    var caller = MakeMacro("caller", c.CallerParameters, c.Body, scope, caller: null);
                    var callee = Evaluate(c.Call.Callee, scope);
                    var args = EvaluateArguments(c.Call.Arguments, scope);
                    args.Keywords.Add(new("caller", caller));
                    output.Append(PyRepr.Str(Call(callee, args)));
                    return Flow.Normal;
                }
            case FilterBlockStmt fb:
                {
                    var captured = new StringBuilder();
                    Execute(fb.Body, scope, captured);
                    output.Append(PyRepr.Str(ApplyFilterChain(fb.Filters, captured.ToString(), scope)));
                    return Flow.Normal;
                }
            case BreakStmt:
                return Flow.Break;
            case ContinueStmt:
                return Flow.Continue;
            case ScopeStmt sc:
                return Execute(sc.Body, scope, output);
            default:
                throw Errors.Runtime($"unsupported statement {stmt.GetType().Name}");
        }
    }

    private void ExecuteFor(ForStmt f, Scope scope, StringBuilder output, object? iterableOverride = null, int depth0 = 0)
    {
        object? source = iterableOverride ?? Evaluate(f.Iterable, scope);
        var items = new List<object?>();
        foreach (var item in PyOps.Iterate(source))
        {
            if (f.Filter is not null)
            {
                var filterScope = new Scope(scope);
                Assign(f.Target, item, filterScope);
                if (!PyOps.IsTrue(Evaluate(f.Filter, filterScope)))
                    continue;
            }
            items.Add(item);
        }
        var loop = new LoopInfo(items, depth0);
        if (f.Recursive)
            loop.Recurse = inner => RenderRecursive(f, scope, inner, depth0 + 1);
        for (int i = 0; i < items.Count; i++)
        {
            loop.Index0 = i;
            var iteration = new Scope(scope);
            Assign(f.Target, items[i], iteration);
            iteration.Set("loop", loop);
            if (Execute(f.Body, iteration, output) == Flow.Break)
                break;
        }
        if (items.Count == 0 && f.Else is not null)
            Execute(f.Else, scope, output);
    }

    private string RenderRecursive(ForStmt f, Scope scope, object? iterable, int depth0)
    {
        var sb = new StringBuilder();
        ExecuteFor(f, scope, sb, iterable ?? new List<object?>(), depth0);
        return sb.ToString();
    }

    private void Assign(Expr target, object? value, Scope scope)
    {
        switch (target)
        {
            case NameExpr n:
                scope.Set(n.Name, value);
                break;
            case TupleExpr t:
                var values = PyOps.ToList(value);
                if (values.Count != t.Items.Count)
                {
                    throw Errors.Value(values.Count > t.Items.Count
                        ? $"too many values to unpack (expected {t.Items.Count})"
                        : $"not enough values to unpack (expected {t.Items.Count}, got {values.Count})");
                }
                for (int i = 0; i < values.Count; i++)
                    Assign(t.Items[i], values[i], scope);
                break;
            case AttributeExpr a:
                var owner = Evaluate(a.Target, scope);
                if (owner is not NamespaceObject ns)
                    throw Errors.Runtime("cannot assign attribute on non-namespace object");
                ns.Attributes.Set(a.Attribute, value);
                break;
            default:
                throw Errors.Runtime("cannot assign to this expression");
        }
    }

    private PyFunction MakeMacro(string name, IReadOnlyList<MacroParameter> parameters, IReadOnlyList<Stmt> body, Scope definition, PyFunction? caller)
    {
        return new PyFunction(name, args =>
        {
            var frame = new Scope(definition);
            var extra = new List<object?>();
            for (int i = 0; i < args.Positional.Count; i++)
            {
                if (i < parameters.Count)
                    frame.Set(parameters[i].Name, args.Positional[i]);
                else
                    extra.Add(args.Positional[i]);
            }
            var extraKeywords = new PyDict();
            foreach (var kv in args.Keywords)
            {
                int index = -1;
                for (int p = 0; p < parameters.Count; p++)
                {
                    if (parameters[p].Name == kv.Key)
                        index = p;
                }
                if (index < 0)
                {
                    if (kv.Key == "caller")
                        frame.Set("caller", kv.Value);
                    else
                        extraKeywords.Set(kv.Key, kv.Value);
                    continue;
                }
                if (index < args.Positional.Count)
                    throw Errors.Type($"macro {PyRepr.Repr(name)} got multiple values for argument {PyRepr.Repr(kv.Key)}");
                frame.Set(kv.Key, kv.Value);
            }
            for (int p = 0; p < parameters.Count; p++)
            {
                if (frame.TryGetLocal(parameters[p].Name))
                    continue;
                frame.Set(parameters[p].Name, parameters[p].Default is { } d
                    ? Evaluate(d, frame)
                    : new Undefined("UndefinedError", $"parameter {PyRepr.Repr(parameters[p].Name)} was not provided"));
            }
            frame.Set("varargs", extra);
            frame.Set("kwargs", extraKeywords);
            if (_callDepth >= MaxCallDepth)
                throw new TemplateException("RecursionError", "maximum recursion depth exceeded");
            _callDepth++;
            try
            {
                var sb = new StringBuilder();
                Execute(body, frame, sb);
                return sb.ToString();
            }
            finally
            {
                _callDepth--;
            }
        }, "macro");
    }

    public object? Evaluate(Expr expr, Scope scope)
    {
        try
        {
            return EvaluateCore(expr, scope);
        }
        catch (TemplateException e) when (!e.HasPosition)
        {
            throw e.WithPosition(_templateName, expr.Line, expr.Column);
        }
    }

    private object? EvaluateCore(Expr expr, Scope scope)
    {
        switch (expr)
        {
            case ConstExpr c:
                return c.Value;
            case NameExpr n:
                return scope.TryGet(n.Name, out object? v) ? v : Undefined.Missing(n.Name);
            case ListExpr l:
                return l.Items.Select(i => Evaluate(i, scope)).ToList();
            case TupleExpr t:
                return t.Items.Select(i => Evaluate(i, scope)).ToArray();
            case DictExpr d:
                var dict = new PyDict();
                foreach (var (key, value) in d.Pairs)
                    dict.Set(Evaluate(key, scope), Evaluate(value, scope));
                return dict;
            case AttributeExpr a:
                return Members.GetAttribute(Evaluate(a.Target, scope), a.Attribute);
            case ItemExpr i:
                return Members.GetItem(Evaluate(i.Target, scope), Evaluate(i.Index, scope));
            case SliceExpr s:
                return Members.Slice(Evaluate(s.Target, scope), EvaluateOptional(s.Start, scope), EvaluateOptional(s.Stop, scope), EvaluateOptional(s.Step, scope));
            case CallExpr call:
                {
                    var callee = Evaluate(call.Callee, scope);
                    return Call(callee, EvaluateArguments(call.Arguments, scope));
                }
            case FilterExpr f:
                return ApplyFilterChain(f, null, scope);
            case TestExpr t:
                {
                    var input = Evaluate(t.Input, scope);
                    bool result = Tests.Apply(t.Name, input, EvaluateArguments(t.Arguments, scope), this);
                    return t.Negated ? !result : result;
                }
            case UnaryExpr u:
                var operand = Evaluate(u.Operand, scope);
                return u.Operator == "not" ? !PyOps.IsTrue(operand) : PyOps.Negate(operand);
            case BinaryExpr b:
                return EvaluateBinary(b, scope);
            case CompareExpr c:
                return EvaluateCompare(c, scope);
            case ConcatExpr c:
                {
                    var sb = new StringBuilder();
                    foreach (var part in c.Parts)
                        sb.Append(PyRepr.Str(Evaluate(part, scope)));
                    return sb.ToString();
                }
            case ConditionalExpr c:
                if (PyOps.IsTrue(Evaluate(c.Condition, scope)))
                    return Evaluate(c.WhenTrue, scope);
                return c.WhenFalse is null ? new Undefined("UndefinedError", "the inline if-expression on line " + c.Line + " evaluated to false and no else section was defined.") : Evaluate(c.WhenFalse, scope);
            default:
                throw Errors.Runtime($"unsupported expression {expr.GetType().Name}");
        }
    }

    private object? EvaluateOptional(Expr? expr, Scope scope) => expr is null ? null : Evaluate(expr, scope);

    private object? EvaluateBinary(BinaryExpr b, Scope scope)
    {
        var left = Evaluate(b.Left, scope);
        switch (b.Operator)
        {
            case "and":
                return PyOps.IsTrue(left) ? Evaluate(b.Right, scope) : left;
            case "or":
                return PyOps.IsTrue(left) ? left : Evaluate(b.Right, scope);
        }
        var right = Evaluate(b.Right, scope);
        return b.Operator switch
        {
            "+" => PyOps.Add(left, right),
            "*" => PyOps.Multiply(left, right),
            _ => PyOps.Arithmetic(left, right, b.Operator),
        };
    }

    private object? EvaluateCompare(CompareExpr c, Scope scope)
    {
        var left = Evaluate(c.First, scope);
        foreach (var (op, operandExpr) in c.Rest)
        {
            var right = Evaluate(operandExpr, scope);
            bool ok = op switch
            {
                "==" => PyOps.AreEqual(left, right),
                "!=" => !PyOps.AreEqual(left, right),
                "<" => PyOps.Compare(left, right, "<") < 0,
                "<=" => PyOps.Compare(left, right, "<=") <= 0,
                ">" => PyOps.Compare(left, right, ">") > 0,
                ">=" => PyOps.Compare(left, right, ">=") >= 0,
                "in" => PyOps.Contains(right, left),
                "notin" => !PyOps.Contains(right, left),
                _ => throw Errors.Runtime($"unknown comparison {op}"),
            };
            if (!ok)
                return false;
            left = right;
        }
        return true;
    }

    public CallArguments EvaluateArguments(ArgumentList list, Scope scope)
    {
        if (list.Positional.Count == 0 && list.Keywords.Count == 0 && list.StarArgs is null && list.StarKwargs is null)
            return new CallArguments([], []);
        var positional = list.Positional.Select(p => Evaluate(p, scope)).ToList();
        var keywords = list.Keywords.Select(k => new KeyValuePair<string, object?>(k.Name, Evaluate(k.Value, scope))).ToList();
        if (list.StarArgs is not null)
            positional.AddRange(PyOps.Iterate(Evaluate(list.StarArgs, scope)));
        if (list.StarKwargs is not null)
        {
            if (Evaluate(list.StarKwargs, scope) is not PyDict extra)
                throw Errors.Type("argument after ** must be a mapping");
            foreach (var kv in extra.Items)
                keywords.Add(new(PyRepr.Str(kv.Key), kv.Value));
        }
        return new CallArguments(positional, keywords);
    }

    public object? Call(object? callee, CallArguments args)
    {
        return callee switch
        {
            PyFunction f => f.Invoke(args),
            LoopInfo { Recurse: { } recurse } => recurse(args.Get(0, "iterable")),
            Undefined u => throw u.Fail(),
            _ => throw Errors.Type($"{PyRepr.Repr(PyRepr.TypeName(callee))} object is not callable"),
        };
    }

    // Applies a filter chain; a null Input at the innermost filter stands for 'seed' (filter/set blocks).
    private object? ApplyFilterChain(Expr chain, object? seed, Scope scope)
    {
        if (chain is not FilterExpr f)
            return Evaluate(chain, scope);
        object? input = f.Input is null ? seed : ApplyFilterChainOrEvaluate(f.Input, seed, scope);
        var args = EvaluateArguments(f.Arguments, scope);
        try
        {
            return Filters.Apply(f.Name, input, args, this);
        }
        catch (TemplateException e) when (!e.HasPosition)
        {
            throw e.WithPosition(_templateName, f.Line, f.Column);
        }
    }

    private object? ApplyFilterChainOrEvaluate(Expr input, object? seed, Scope scope) =>
        input is FilterExpr ? ApplyFilterChain(input, seed, scope) : Evaluate(input, scope);
}
