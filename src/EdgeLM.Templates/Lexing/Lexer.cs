using System.Globalization;
using System.Text;

namespace EdgeLM.Templates.Lexing;

/// <summary>
/// Splits template source into tokens with the transformers environment's whitespace rules:
/// trim_blocks and lstrip_blocks on, '-' and '+' tag modifiers, one trailing newline dropped.
/// </summary>
internal sealed class Lexer
{
    private readonly string _src;
    private readonly string? _name;
    private readonly List<Token> _tokens = [];
    private int _pos;
    private int _line = 1;
    private int _lineStart;

    // Jinja's lstrip_blocks only strips before a tag that starts a line; that holds at the start of
    // the template and after a tag whose match ended with a newline.
    private bool _lineStarting = true;

    private Lexer(string source, string? name)
    {
        _src = Normalize(source);
        _name = name;
    }

    public static List<Token> Tokenize(string source, string? name)
    {
        var lexer = new Lexer(source, name);
        lexer.Run();
        return lexer._tokens;
    }

    // newline_sequence is "\n" and keep_trailing_newline is off: one final newline is dropped.
    private static string Normalize(string source)
    {
        string s = source.Replace("\r\n", "\n").Replace('\r', '\n');
        return s.EndsWith('\n') ? s[..^1] : s;
    }

    private TemplateException Error(string message, int offset) =>
        new("TemplateSyntaxError", message, _name, LineAt(offset), ColumnAt(offset));

    private int LineAt(int offset)
    {
        int line = 1;
        for (int i = 0; i < offset && i < _src.Length; i++)
        {
            if (_src[i] == '\n')
                line++;
        }
        return line;
    }

    private int ColumnAt(int offset)
    {
        int start = offset > 0 ? _src.LastIndexOf('\n', Math.Min(offset, _src.Length) - 1) + 1 : 0;
        return offset - start + 1;
    }

    private void Run()
    {
        while (_pos < _src.Length)
        {
            int tag = FindTagStart(_pos);
            if (tag < 0)
            {
                EmitData(_src[_pos..], _pos);
                _pos = _src.Length;
                break;
            }
            char kind = _src[tag + 1];
            char sign = tag + 2 < _src.Length ? _src[tag + 2] : '\0';
            string text = _src[_pos..tag];
            if (sign == '-')
            {
                text = text.TrimEnd();
            }
            else if (sign != '+' && kind != '{')
            {
                int lPos = text.LastIndexOf('\n') + 1;
                if ((lPos > 0 || _lineStarting) && lPos < text.Length && string.IsNullOrWhiteSpace(text[lPos..]))
                    text = text[..lPos];
            }
            EmitData(text, _pos);
            int afterBegin = tag + 2 + (sign is '-' or '+' ? 1 : 0);
            Advance(tag, afterBegin);
            switch (kind)
            {
                case '#':
                    LexComment(tag);
                    break;
                case '%':
                    if (!TryLexRaw(tag))
                        LexTag(TokenKind.BlockBegin, TokenKind.BlockEnd, '%', tag);
                    break;
                default:
                    LexTag(TokenKind.VariableBegin, TokenKind.VariableEnd, '}', tag);
                    break;
            }
        }
        _tokens.Add(new Token(TokenKind.End, "", null, _line, _pos - _lineStart + 1));
    }

    private int FindTagStart(int from)
    {
        int i = from;
        while (true)
        {
            i = _src.IndexOf('{', i);
            if (i < 0 || i + 1 >= _src.Length)
                return -1;
            char next = _src[i + 1];
            if (next is '{' or '%' or '#')
                return i;
            i++;
        }
    }

    private void EmitData(string text, int offset)
    {
        if (text.Length > 0)
            _tokens.Add(new Token(TokenKind.Data, text, null, _line, offset - _lineStart + 1));
    }

    // Moves the cursor from 'from' to 'to', keeping line bookkeeping in step.
    private void Advance(int from, int to)
    {
        for (int i = _pos; i < to; i++)
        {
            if (_src[i] == '\n')
            {
                _line++;
                _lineStart = i + 1;
            }
        }
        _pos = to;
        _ = from;
    }

    private void LexComment(int tagStart)
    {
        int end = _src.IndexOf("#}", _pos, StringComparison.Ordinal);
        if (end < 0)
            throw Error("Missing end of comment tag", tagStart);
        bool strip = end > _pos && _src[end - 1] == '-';
        bool keep = end > _pos && _src[end - 1] == '+';
        int after = end + 2;
        after = SkipAfterTagEnd(after, strip, keep);
        Advance(_pos, after);
    }

    // After a closing tag: '-' eats all following whitespace, otherwise trim_blocks eats one newline.
    private int SkipAfterTagEnd(int after, bool strip, bool keep)
    {
        if (strip)
        {
            while (after < _src.Length && char.IsWhiteSpace(_src[after]))
                after++;
        }
        else if (!keep && after < _src.Length && _src[after] == '\n')
        {
            after++;
        }
        _lineStarting = after > 0 && _src[after - 1] == '\n';
        return after;
    }

    private bool TryLexRaw(int tagStart)
    {
        int i = _pos;
        while (i < _src.Length && char.IsWhiteSpace(_src[i]))
            i++;
        if (string.CompareOrdinal(_src, i, "raw", 0, 3) != 0)
            return false;
        i += 3;
        int close = i;
        while (close < _src.Length && char.IsWhiteSpace(_src[close]))
            close++;
        if (close < _src.Length && _src[close] is '-' or '+')
            close++;
        if (string.CompareOrdinal(_src, close, "%}", 0, 2) != 0)
            return false;
        int bodyStart = close + 2;
        if (_src[close - 1] == '-')
        {
            while (bodyStart < _src.Length && char.IsWhiteSpace(_src[bodyStart]))
                bodyStart++;
        }
        else if (_src[close - 1] != '+' && bodyStart < _src.Length && _src[bodyStart] == '\n')
        {
            bodyStart++;
        }
        var endRaw = System.Text.RegularExpressions.Regex.Match(_src[bodyStart..], @"\{%([-+]?)\s*endraw\s*([-+]?)%\}");
        if (!endRaw.Success)
            throw Error("Missing end of raw directive", tagStart);
        string body = _src.Substring(bodyStart, endRaw.Index);
        if (endRaw.Groups[1].Value == "-")
            body = body.TrimEnd();
        Advance(_pos, bodyStart);
        EmitData(body, bodyStart);
        int after = bodyStart + endRaw.Index + endRaw.Length;
        after = SkipAfterTagEnd(after, endRaw.Groups[2].Value == "-", endRaw.Groups[2].Value == "+");
        Advance(_pos, after);
        return true;
    }

    private void LexTag(TokenKind begin, TokenKind end, char closer, int tagStart)
    {
        _tokens.Add(new Token(begin, begin == TokenKind.BlockBegin ? "{%" : "{{", null, LineAt(tagStart), ColumnAt(tagStart)));
        int depth = 0;
        while (true)
        {
            while (_pos < _src.Length && char.IsWhiteSpace(_src[_pos]))
                Advance(_pos, _pos + 1);
            if (_pos >= _src.Length)
                throw Error(end == TokenKind.BlockEnd ? "Unexpected end of template. Jinja was looking for the end of a block tag ('%}')." : "unexpected end of template, expected 'end of print statement'.", tagStart);
            if (depth == 0 && TryTagEnd(end, closer))
                return;
            int col = _pos - _lineStart + 1;
            char c = _src[_pos];
            if (char.IsDigit(c))
            {
                LexNumber(col);
            }
            else if (char.IsLetter(c) || c == '_')
            {
                int start = _pos;
                while (_pos < _src.Length && (char.IsLetterOrDigit(_src[_pos]) || _src[_pos] == '_'))
                    _pos++;
                _tokens.Add(new Token(TokenKind.Name, _src[start.._pos], null, _line, col));
            }
            else if (c is '\'' or '"')
            {
                LexString(col);
            }
            else
            {
                string op = ReadOperator();
                if (op.Length == 0)
                    throw Error($"unexpected char {PyQuote(c)} at {_pos}", _pos);
                if (op is "(" or "[" or "{")
                {
                    depth++;
                }
                else if (op is ")" or "]" or "}")
                {
                    if (depth == 0)
                        throw Error($"unexpected '{op}'", _pos);
                    depth--;
                }
                _tokens.Add(new Token(TokenKind.Operator, op, null, _line, col));
                _pos += op.Length;
            }
        }
    }

    private static string PyQuote(char c) => c == '\'' ? "\"'\"" : $"'{c}'";

    private bool TryTagEnd(TokenKind end, char closer)
    {
        int col = _pos - _lineStart + 1;
        char sign = _src[_pos];
        int at = sign is '-' or '+' ? _pos + 1 : _pos;
        if (at + 1 >= _src.Length || _src[at] != closer || _src[at + 1] != '}')
            return false;
        if (sign == '+' && end == TokenKind.VariableEnd)
            return false;
        int after = at + 2;
        if (end == TokenKind.BlockEnd)
        {
            after = SkipAfterTagEnd(after, sign == '-', sign == '+');
        }
        else if (sign == '-')
        {
            after = SkipAfterTagEnd(after, true, false);
        }
        else
        {
            _lineStarting = false;
        }
        _tokens.Add(new Token(end, closer == '%' ? "%}" : "}}", null, _line, col));
        Advance(_pos, after);
        return true;
    }

    private static readonly string[] s_operators =
    [
        "//", "**", "==", "!=", "<=", ">=",
        "+", "-", "/", "*", "%", "~", "[", "]", "(", ")", "{", "}", "<", ">", "=", ".", ":", "|", ",", ";",
    ];

    private string ReadOperator()
    {
        foreach (string op in s_operators)
        {
            if (string.CompareOrdinal(_src, _pos, op, 0, op.Length) == 0)
                return op;
        }
        return "";
    }

    private void LexNumber(int col)
    {
        int start = _pos;
        SkipDigits();
        bool isFloat = false;
        if (_pos + 1 < _src.Length && _src[_pos] == '.' && char.IsDigit(_src[_pos + 1]))
        {
            isFloat = true;
            _pos++;
            SkipDigits();
        }
        if (_pos < _src.Length && _src[_pos] is 'e' or 'E')
        {
            int save = _pos;
            _pos++;
            if (_pos < _src.Length && _src[_pos] is '+' or '-')
                _pos++;
            if (_pos < _src.Length && char.IsDigit(_src[_pos]))
            {
                isFloat = true;
                SkipDigits();
            }
            else
            {
                _pos = save;
            }
        }
        string text = _src[start.._pos].Replace("_", "");
        object value = isFloat
            ? (object)double.Parse(text, CultureInfo.InvariantCulture)
            : long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long l) ? (object)l : throw Error("integer literal too large", start);
        _tokens.Add(new Token(isFloat ? TokenKind.Float : TokenKind.Integer, text, value, _line, col));
    }

    private void SkipDigits()
    {
        while (_pos < _src.Length && (char.IsDigit(_src[_pos]) || (_src[_pos] == '_' && _pos + 1 < _src.Length && char.IsDigit(_src[_pos + 1]))))
            _pos++;
    }

    private void LexString(int col)
    {
        int start = _pos;
        int line = _line;
        char quote = _src[_pos];
        var sb = new StringBuilder();
        int i = _pos + 1;
        while (true)
        {
            if (i >= _src.Length)
                throw Error("unexpected char " + PyQuote(quote) + $" at {start}", start);
            char c = _src[i];
            if (c == quote)
                break;
            if (c == '\\' && i + 1 < _src.Length)
            {
                i = Unescape(i + 1, sb);
                continue;
            }
            sb.Append(c);
            i++;
        }
        Advance(_pos, i + 1);
        _tokens.Add(new Token(TokenKind.String, _src[start..(i + 1)], sb.ToString(), line, col));
    }

    // Jinja decodes string literals with Python's unicode-escape codec; unknown escapes stay as written.
    private int Unescape(int i, StringBuilder sb)
    {
        char c = _src[i];
        switch (c)
        {
            case 'n': sb.Append('\n'); return i + 1;
            case 't': sb.Append('\t'); return i + 1;
            case 'r': sb.Append('\r'); return i + 1;
            case '\\': sb.Append('\\'); return i + 1;
            case '\'': sb.Append('\''); return i + 1;
            case '"': sb.Append('"'); return i + 1;
            case 'a': sb.Append('\a'); return i + 1;
            case 'b': sb.Append('\b'); return i + 1;
            case 'f': sb.Append('\f'); return i + 1;
            case 'v': sb.Append('\v'); return i + 1;
            case '\n': return i + 1;
            case 'x': return HexEscape(i, 2, sb);
            case 'u': return HexEscape(i, 4, sb);
            case 'U': return HexEscape(i, 8, sb);
        }
        if (c is >= '0' and <= '7')
        {
            int value = 0, n = 0;
            while (n < 3 && i < _src.Length && _src[i] is >= '0' and <= '7')
            {
                value = value * 8 + (_src[i] - '0');
                i++;
                n++;
            }
            sb.Append((char)value);
            return i;
        }
        sb.Append('\\');
        return i;
    }

    private int HexEscape(int i, int digits, StringBuilder sb)
    {
        if (i + digits >= _src.Length || !int.TryParse(_src.AsSpan(i + 1, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int code)
            || code > 0x10FFFF || _src.AsSpan(i + 1, digits).ContainsAny("+- "))
            throw Error($"invalid \\{_src[i]} escape in string literal", i);
        if (code >= 0xD800 && code <= 0xDFFF)
            sb.Append((char)code);
        else
            sb.Append(char.ConvertFromUtf32(code));
        return i + 1 + digits;
    }
}
