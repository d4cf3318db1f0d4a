using EdgeLM.Templates.Lexing;

namespace EdgeLM.Templates.Syntax;

/// <summary>Recursive-descent parser with Jinja2's grammar and operator precedence.</summary>
internal sealed class Parser
{
    // Deeply nested input must fail with a TemplateException, not overflow the stack.
    private const int MaxDepth = 150;

    private readonly List<Token> _tokens;
    private readonly string? _name;
    private int _index;
    private int _depth;

    private Parser(List<Token> tokens, string? name)
    {
        _tokens = tokens;
        _name = name;
    }

    public static IReadOnlyList<Stmt> Parse(string source, string? name)
    {
        var parser = new Parser(Lexer.Tokenize(source, name), name);
        var body = parser.ParseBody([], out _);
        return body;
    }

    private Token Current => _tokens[_index];

    private Token Peek(int ahead = 1) => _tokens[Math.Min(_index + ahead, _tokens.Count - 1)];

    private Token Next()
    {
        var t = _tokens[_index];
        if (_index < _tokens.Count - 1)
            _index++;
        return t;
    }

    private TemplateException Error(string message, Token at) =>
        new("TemplateSyntaxError", message, _name, at.Line, at.Column);

    private Token Expect(TokenKind kind, string? text = null)
    {
        var t = Current;
        if (t.Kind != kind || (text is not null && t.Text != text))
        {
            string wanted = text is not null ? $"'{text}'" : kind switch
            {
                TokenKind.Name => "name",
                TokenKind.BlockEnd => "end of statement block",
                TokenKind.VariableEnd => "end of print statement",
                _ => kind.ToString(),
            };
            throw Error($"expected token {wanted}, got {t}", t);
        }
        return Next();
    }

    private bool SkipOperator(string op)
    {
        if (!Current.IsOperator(op))
            return false;
        Next();
        return true;
    }

    private bool SkipName(string name)
    {
        if (!Current.IsName(name))
            return false;
        Next();
        return true;
    }

    private void Enter()
    {
        if (++_depth > MaxDepth)
            throw Error("template nesting is too deep", Current);
    }

    // Parses statements until a block tag whose name is in endTags; leaves the cursor after that name.
    private List<Stmt> ParseBody(string[] endTags, out string endTag)
    {
        Enter();
        var body = new List<Stmt>();
        while (true)
        {
            var t = Current;
            switch (t.Kind)
            {
                case TokenKind.End:
                    if (endTags.Length > 0)
                        throw Error($"Unexpected end of template. Jinja was looking for the following tags: {string.Join(" or ", endTags.Select(e => $"'{e}'"))}.", t);
                    endTag = "";
                    _depth--;
                    return body;
                case TokenKind.Data:
                    Next();
                    body.Add(new OutputStmt(t.Text, t.Line, t.Column));
                    break;
                case TokenKind.VariableBegin:
                    Next();
                    var value = ParseTuple(withCondition: true);
                    Expect(TokenKind.VariableEnd);
                    body.Add(new PrintStmt(value, t.Line, t.Column));
                    break;
                case TokenKind.BlockBegin:
                    Next();
                    var nameToken = Current;
                    if (nameToken.Kind == TokenKind.Name && endTags.Contains(nameToken.Text))
                    {
                        Next();
                        endTag = nameToken.Text;
                        _depth--;
                        return body;
                    }
                    body.Add(ParseStatement(t));
                    break;
                default:
                    throw Error($"unexpected {t}", t);
            }
        }
    }

    private Stmt ParseStatement(Token begin)
    {
        var t = Current;
        if (t.Kind != TokenKind.Name)
            throw Error("tag name expected", t);
        Next();
        Stmt stmt;
        switch (t.Text)
        {
            case "if":
                return ParseIf(t);
            case "for":
                return ParseFor(t);
            case "set":
                return ParseSet(t);
            case "macro":
                return ParseMacro(t);
            case "call":
                return ParseCallBlock(t);
            case "filter":
                return ParseFilterBlock(t);
            case "generation":
                Expect(TokenKind.BlockEnd);
                stmt = new ScopeStmt(ParseBody(["endgeneration"], out _), t.Line, t.Column);
                Expect(TokenKind.BlockEnd);
                return stmt;
            case "break":
                Expect(TokenKind.BlockEnd);
                return new BreakStmt(t.Line, t.Column);
            case "continue":
                Expect(TokenKind.BlockEnd);
                return new ContinueStmt(t.Line, t.Column);
            default:
                _ = begin;
                throw Error($"Encountered unknown tag '{t.Text}'.", t);
        }
    }

    private IfStmt ParseIf(Token start)
    {
        var branches = new List<(Expr, IReadOnlyList<Stmt>)>();
        List<Stmt>? elseBody = null;
        var condition = ParseTuple(withCondition: false);
        while (true)
        {
            Expect(TokenKind.BlockEnd);
            var body = ParseBody(["elif", "else", "endif"], out string tag);
            branches.Add((condition, body));
            if (tag == "elif")
            {
                condition = ParseTuple(withCondition: false);
                continue;
            }
            if (tag == "else")
            {
                Expect(TokenKind.BlockEnd);
                elseBody = ParseBody(["endif"], out _);
            }
            Expect(TokenKind.BlockEnd);
            return new IfStmt(branches, elseBody, start.Line, start.Column);
        }
    }

    private ForStmt ParseFor(Token start)
    {
        var target = ParseAssignTarget(["in"]);
        Expect(TokenKind.Name, "in");
        var iterable = ParseTuple(withCondition: false, extraEnd: ["recursive"]);
        Expr? filter = null;
        if (SkipName("if"))
            filter = ParseExpression(withCondition: true);
        bool recursive = SkipName("recursive");
        Expect(TokenKind.BlockEnd);
        var body = ParseBody(["endfor", "else"], out string tag);
        List<Stmt>? elseBody = null;
        if (tag == "else")
        {
            Expect(TokenKind.BlockEnd);
            elseBody = ParseBody(["endfor"], out _);
        }
        Expect(TokenKind.BlockEnd);
        return new ForStmt(target, iterable, filter, body, elseBody, recursive, start.Line, start.Column);
    }

    private Stmt ParseSet(Token start)
    {
        var target = ParseAssignTarget([], allowAttribute: true);
        if (SkipOperator("="))
        {
            var value = ParseTuple(withCondition: true);
            Expect(TokenKind.BlockEnd);
            return new SetStmt(target, value, start.Line, start.Column);
        }
        Expr? filters = null;
        while (Current.IsOperator("|"))
        {
            Next();
            filters = ParseFilter(filters);
        }
        Expect(TokenKind.BlockEnd);
        var body = ParseBody(["endset"], out _);
        Expect(TokenKind.BlockEnd);
        return new SetBlockStmt(target, filters, body, start.Line, start.Column);
    }

    private MacroStmt ParseMacro(Token start)
    {
        string name = Expect(TokenKind.Name).Text;
        var parameters = ParseSignature();
        Expect(TokenKind.BlockEnd);
        var body = ParseBody(["endmacro"], out _);
        SkipName(name);
        Expect(TokenKind.BlockEnd);
        return new MacroStmt(name, parameters, body, start.Line, start.Column);
    }

    private List<MacroParameter> ParseSignature()
    {
        var parameters = new List<MacroParameter>();
        Expect(TokenKind.Operator, "(");
        while (!Current.IsOperator(")"))
        {
            if (parameters.Count > 0)
                Expect(TokenKind.Operator, ",");
            if (Current.IsOperator(")"))
                break;
            var nameToken = Expect(TokenKind.Name);
            Expr? defaultValue = null;
            if (SkipOperator("="))
                defaultValue = ParseExpression(withCondition: true);
            else if (parameters.Count > 0 && parameters[^1].Default is not null)
                throw Error("non-default argument follows default argument", nameToken);
            parameters.Add(new MacroParameter(nameToken.Text, defaultValue));
        }
        Next();
        return parameters;
    }

    private CallBlockStmt ParseCallBlock(Token start)
    {
        List<MacroParameter> callerParameters = Current.IsOperator("(") ? ParseSignature() : [];
        var call = ParseExpression(withCondition: true);
        if (call is not CallExpr callExpr)
            throw Error("expected call", start);
        Expect(TokenKind.BlockEnd);
        var body = ParseBody(["endcall"], out _);
        Expect(TokenKind.BlockEnd);
        return new CallBlockStmt(callExpr, callerParameters, body, start.Line, start.Column);
    }

    private FilterBlockStmt ParseFilterBlock(Token start)
    {
        Expr? filters = ParseFilter(null);
        while (Current.IsOperator("|"))
        {
            Next();
            filters = ParseFilter(filters);
        }
        Expect(TokenKind.BlockEnd);
        var body = ParseBody(["endfilter"], out _);
        Expect(TokenKind.BlockEnd);
        return new FilterBlockStmt(filters!, body, start.Line, start.Column);
    }

    private Expr ParseAssignTarget(string[] extraEnd, bool allowAttribute = false)
    {
        var first = Current;
        var items = new List<Expr>();
        bool isTuple = false;
        while (true)
        {
            var nameToken = Expect(TokenKind.Name);
            Expr target = new NameExpr(nameToken.Text, nameToken.Line, nameToken.Column);
            if (allowAttribute && Current.IsOperator("."))
            {
                Next();
                var attr = Expect(TokenKind.Name);
                target = new AttributeExpr(target, attr.Text, nameToken.Line, nameToken.Column);
            }
            items.Add(target);
            if (!Current.IsOperator(","))
                break;
            Next();
            isTuple = true;
            if (Current.Kind != TokenKind.Name || extraEnd.Contains(Current.Text))
                break;
        }
        return isTuple ? new TupleExpr(items, first.Line, first.Column) : items[0];
    }

    // A comma-separated expression list becomes a tuple, as in Jinja's parse_tuple.
    private Expr ParseTuple(bool withCondition, string[]? extraEnd = null, bool explicitParentheses = false)
    {
        var first = Current;
        var items = new List<Expr>();
        bool isTuple = false;
        while (true)
        {
            if (items.Count > 0)
                Expect(TokenKind.Operator, ",");
            if (IsTupleEnd(extraEnd))
                break;
            items.Add(ParseExpression(withCondition));
            if (Current.IsOperator(","))
                isTuple = true;
            else
                break;
        }
        if (!isTuple)
        {
            if (items.Count > 0)
                return items[0];
            if (!explicitParentheses)
                throw Error($"Expected an expression, got {Current}", Current);
        }
        return new TupleExpr(items, first.Line, first.Column);
    }

    private bool IsTupleEnd(string[]? extraEnd)
    {
        var t = Current;
        if (t.Kind is TokenKind.VariableEnd or TokenKind.BlockEnd || t.IsOperator(")"))
            return true;
        return extraEnd is not null && t.Kind == TokenKind.Name && extraEnd.Contains(t.Text);
    }

    private Expr ParseExpression(bool withCondition)
    {
        Enter();
        try
        {
            var expr = ParseOr();
            if (!withCondition)
                return expr;
            while (Current.IsName("if"))
            {
                var start = Next();
                var condition = ParseOr();
                Expr? otherwise = SkipName("else") ? ParseExpression(withCondition: true) : null;
                expr = new ConditionalExpr(condition, expr, otherwise, start.Line, start.Column);
            }
            return expr;
        }
        finally
        {
            _depth--;
        }
    }

    private Expr ParseOr()
    {
        var left = ParseAnd();
        while (Current.IsName("or"))
        {
            var t = Next();
            left = new BinaryExpr("or", left, ParseAnd(), t.Line, t.Column);
        }
        return left;
    }

    private Expr ParseAnd()
    {
        var left = ParseNot();
        while (Current.IsName("and"))
        {
            var t = Next();
            left = new BinaryExpr("and", left, ParseNot(), t.Line, t.Column);
        }
        return left;
    }

    private Expr ParseNot()
    {
        if (Current.IsName("not"))
        {
            var t = Next();
            Enter();
            var operand = ParseNot();
            _depth--;
            return new UnaryExpr("not", operand, t.Line, t.Column);
        }
        return ParseCompare();
    }

    private static readonly string[] s_compareOperators = ["==", "!=", "<", "<=", ">", ">="];

    private Expr ParseCompare()
    {
        var first = ParseMath1();
        var rest = new List<(string, Expr)>();
        while (true)
        {
            var t = Current;
            if (t.Kind == TokenKind.Operator && s_compareOperators.Contains(t.Text))
            {
                Next();
                rest.Add((t.Text, ParseMath1()));
            }
            else if (t.IsName("in"))
            {
                Next();
                rest.Add(("in", ParseMath1()));
            }
            else if (t.IsName("not") && Peek().IsName("in"))
            {
                Next();
                Next();
                rest.Add(("notin", ParseMath1()));
            }
            else
            {
                break;
            }
        }
        return rest.Count == 0 ? first : new CompareExpr(first, rest, first.Line, first.Column);
    }

    private Expr ParseMath1()
    {
        var left = ParseConcat();
        while (Current.IsOperator("+") || Current.IsOperator("-"))
        {
            var t = Next();
            left = new BinaryExpr(t.Text, left, ParseConcat(), t.Line, t.Column);
        }
        return left;
    }

    private Expr ParseConcat()
    {
        var first = ParseMath2();
        if (!Current.IsOperator("~"))
            return first;
        var parts = new List<Expr> { first };
        while (SkipOperator("~"))
            parts.Add(ParseMath2());
        return new ConcatExpr(parts, first.Line, first.Column);
    }

    private Expr ParseMath2()
    {
        var left = ParsePow();
        while (Current.Kind == TokenKind.Operator && Current.Text is "*" or "/" or "//" or "%")
        {
            var t = Next();
            left = new BinaryExpr(t.Text, left, ParsePow(), t.Line, t.Column);
        }
        return left;
    }

    private Expr ParsePow()
    {
        var left = ParseUnary(withFilter: true);
        while (Current.IsOperator("**"))
        {
            var t = Next();
            left = new BinaryExpr("**", left, ParseUnary(withFilter: true), t.Line, t.Column);
        }
        return left;
    }

    private Expr ParseUnary(bool withFilter)
    {
        var t = Current;
        Expr node;
        if (t.IsOperator("-") || t.IsOperator("+"))
        {
            Next();
            Enter();
            var operand = ParseUnary(withFilter: false);
            _depth--;
            node = t.Text == "-" ? new UnaryExpr("-", operand, t.Line, t.Column) : operand;
        }
        else
        {
            node = ParsePrimary();
        }
        node = ParsePostfix(node);
        if (withFilter)
            node = ParseFilterExpr(node);
        return node;
    }

    private Expr ParsePrimary()
    {
        var t = Current;
        switch (t.Kind)
        {
            case TokenKind.Name:
                Next();
                return t.Text switch
                {
                    "true" or "True" => new ConstExpr(true, t.Line, t.Column),
                    "false" or "False" => new ConstExpr(false, t.Line, t.Column),
                    "none" or "None" => new ConstExpr(null, t.Line, t.Column),
                    _ => new NameExpr(t.Text, t.Line, t.Column),
                };
            case TokenKind.String:
                Next();
                string text = (string)t.Value!;
                // Adjacent string literals concatenate, as in Python.
                while (Current.Kind == TokenKind.String)
                    text += (string)Next().Value!;
                return new ConstExpr(text, t.Line, t.Column);
            case TokenKind.Integer:
            case TokenKind.Float:
                Next();
                return new ConstExpr(t.Value, t.Line, t.Column);
            case TokenKind.Operator when t.Text == "(":
                Next();
                var inner = ParseTuple(withCondition: true, explicitParentheses: true);
                Expect(TokenKind.Operator, ")");
                return inner;
            case TokenKind.Operator when t.Text == "[":
                Next();
                var items = new List<Expr>();
                while (!Current.IsOperator("]"))
                {
                    if (items.Count > 0)
                        Expect(TokenKind.Operator, ",");
                    if (Current.IsOperator("]"))
                        break;
                    items.Add(ParseExpression(withCondition: true));
                }
                Next();
                return new ListExpr(items, t.Line, t.Column);
            case TokenKind.Operator when t.Text == "{":
                Next();
                var pairs = new List<(Expr, Expr)>();
                while (!Current.IsOperator("}"))
                {
                    if (pairs.Count > 0)
                        Expect(TokenKind.Operator, ",");
                    if (Current.IsOperator("}"))
                        break;
                    var key = ParseExpression(withCondition: true);
                    Expect(TokenKind.Operator, ":");
                    pairs.Add((key, ParseExpression(withCondition: true)));
                }
                Next();
                return new DictExpr(pairs, t.Line, t.Column);
            default:
                throw Error($"unexpected {t}", t);
        }
    }

    private Expr ParsePostfix(Expr node)
    {
        while (true)
        {
            var t = Current;
            if (t.IsOperator("."))
            {
                Next();
                var attr = Next();
                if (attr.Kind == TokenKind.Name)
                    node = new AttributeExpr(node, attr.Text, t.Line, t.Column);
                else if (attr.Kind == TokenKind.Integer)
                    node = new ItemExpr(node, new ConstExpr(attr.Value, attr.Line, attr.Column), t.Line, t.Column);
                else
                    throw Error("expected name or number", attr);
            }
            else if (t.IsOperator("["))
            {
                Next();
                node = ParseSubscript(node, t);
            }
            else if (t.IsOperator("("))
            {
                node = new CallExpr(node, ParseCallArguments(), t.Line, t.Column);
            }
            else
            {
                return node;
            }
        }
    }

    private Expr ParseSubscript(Expr node, Token open)
    {
        Expr? start = null;
        if (!Current.IsOperator(":"))
        {
            start = ParseExpression(withCondition: true);
            if (SkipOperator("]"))
                return new ItemExpr(node, start, open.Line, open.Column);
            if (!Current.IsOperator(":"))
                throw Error($"expected token ']', got {Current}", Current);
        }
        Next();
        Expr? stop = null, step = null;
        if (!Current.IsOperator("]") && !Current.IsOperator(":"))
            stop = ParseExpression(withCondition: true);
        if (SkipOperator(":") && !Current.IsOperator("]"))
            step = ParseExpression(withCondition: true);
        Expect(TokenKind.Operator, "]");
        return new SliceExpr(node, start, stop, step, open.Line, open.Column);
    }

    private ArgumentList ParseCallArguments()
    {
        Expect(TokenKind.Operator, "(");
        var positional = new List<Expr>();
        var keywords = new List<(string, Expr)>();
        Expr? starArgs = null, starKwargs = null;
        bool first = true;
        while (!Current.IsOperator(")"))
        {
            if (!first)
                Expect(TokenKind.Operator, ",");
            first = false;
            if (Current.IsOperator(")"))
                break;
            if (SkipOperator("*"))
            {
                starArgs = ParseExpression(withCondition: true);
            }
            else if (SkipOperator("**"))
            {
                starKwargs = ParseExpression(withCondition: true);
            }
            else if (Current.Kind == TokenKind.Name && Peek().IsOperator("="))
            {
                string key = Next().Text;
                Next();
                keywords.Add((key, ParseExpression(withCondition: true)));
            }
            else
            {
                if (keywords.Count > 0)
                    throw Error("Invalid argument syntax: positional argument follows keyword argument", Current);
                positional.Add(ParseExpression(withCondition: true));
            }
        }
        Next();
        return new ArgumentList(positional, keywords, starArgs, starKwargs);
    }

    private Expr ParseFilterExpr(Expr node)
    {
        while (true)
        {
            if (Current.IsOperator("|"))
            {
                Next();
                node = ParseFilter(node);
            }
            else if (Current.IsName("is"))
            {
                Next();
                node = ParseTest(node);
            }
            else if (Current.IsOperator("("))
            {
                var t = Current;
                node = new CallExpr(node, ParseCallArguments(), t.Line, t.Column);
            }
            else
            {
                return node;
            }
        }
    }

    private FilterExpr ParseFilter(Expr? input)
    {
        var nameToken = Expect(TokenKind.Name);
        string name = nameToken.Text;
        while (Current.IsOperator("."))
        {
            Next();
            name += "." + Expect(TokenKind.Name).Text;
        }
        var args = Current.IsOperator("(") ? ParseCallArguments() : ArgumentList.None;
        return new FilterExpr(input, name, args, nameToken.Line, nameToken.Column);
    }

    private TestExpr ParseTest(Expr input)
    {
        bool negated = SkipName("not");
        var nameToken = Expect(TokenKind.Name);
        string name = nameToken.Text;
        while (Current.IsOperator("."))
        {
            Next();
            name += "." + Expect(TokenKind.Name).Text;
        }
        ArgumentList args = ArgumentList.None;
        var t = Current;
        if (t.IsOperator("("))
        {
            args = ParseCallArguments();
        }
        else if ((t.Kind is TokenKind.Name or TokenKind.String or TokenKind.Integer or TokenKind.Float
                  || t.IsOperator("[") || t.IsOperator("{"))
                 && !(t.IsName("else") || t.IsName("or") || t.IsName("and")))
        {
            if (t.IsName("is"))
                throw Error("You cannot chain multiple tests with is", t);
            var arg = ParsePostfix(ParsePrimary());
            args = new ArgumentList([arg], [], null, null);
        }
        return new TestExpr(input, name, args, negated, nameToken.Line, nameToken.Column);
    }
}
