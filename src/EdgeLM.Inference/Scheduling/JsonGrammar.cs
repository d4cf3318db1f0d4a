namespace EdgeLM.Inference.Scheduling;

/// <summary>
/// A byte-level recognizer for one JSON object (RFC 8259), small enough to copy per candidate token: the
/// scheduler feeds it each token's UTF-8 bytes and masks the tokens it rejects, so constrained output is always a
/// prefix of valid JSON and ends exactly when the object closes. Nesting is a bit stack (1 = object, 0 = array),
/// at most 64 deep. Runs of whitespace outside strings are capped so a model cannot pad forever.
/// </summary>
public struct JsonGrammar
{
    private const int MaxDepth = 64;
    private const int MaxWhitespaceRun = 2;

    private enum Mode : byte
    {
        Start, Value, FirstKeyOrEnd, Key, Colon, AfterValue, FirstValueOrEnd,
        String, Escape, Unicode, Minus, Zero, Int, Dot, Frac, E, ESign, Exp, Literal, Done,
    }

    private Mode _mode;
    private ulong _stack;
    private int _depth;
    private bool _inKey;
    private byte _counter;      // hex digits left in \uXXXX, or index into the literal
    private byte _literal;      // 0 true, 1 false, 2 null
    private byte _whitespace;

    private static readonly byte[][] s_literals = ["true"u8.ToArray(), "false"u8.ToArray(), "null"u8.ToArray()];

    public readonly bool IsComplete => _mode == Mode.Done;

    /// <summary>Feeds bytes; false (and an unspecified state) when they cannot continue a JSON object.</summary>
    public bool Feed(ReadOnlySpan<byte> bytes)
    {
        foreach (byte b in bytes)
            if (!Feed(b))
                return false;
        return true;
    }

    public bool Feed(byte b)
    {
        switch (_mode)
        {
            case Mode.String:
                if (b == '"') { _mode = _inKey ? Mode.Colon : Mode.AfterValue; _whitespace = 0; return true; }
                if (b == '\\') { _mode = Mode.Escape; return true; }
                return b >= 0x20;
            case Mode.Escape:
                if (b == 'u') { _mode = Mode.Unicode; _counter = 4; return true; }
                if ("\"\\/bfnrt"u8.IndexOf(b) < 0) return false;
                _mode = Mode.String;
                return true;
            case Mode.Unicode:
                if (!char.IsAsciiHexDigit((char)b)) return false;
                if (--_counter == 0) _mode = Mode.String;
                return true;
            case Mode.Literal:
                if (b != s_literals[_literal][_counter]) return false;
                if (++_counter == s_literals[_literal].Length) EndValue();
                return true;
            case Mode.Minus:
                if (b == '0') { _mode = Mode.Zero; return true; }
                if (b is >= (byte)'1' and <= (byte)'9') { _mode = Mode.Int; return true; }
                return false;
            case Mode.Zero:
            case Mode.Int:
                if (_mode == Mode.Int && char.IsAsciiDigit((char)b)) return true;
                if (b == '.') { _mode = Mode.Dot; return true; }
                if (b is (byte)'e' or (byte)'E') { _mode = Mode.E; return true; }
                EndValue();
                return Feed(b);
            case Mode.Dot:
                if (!char.IsAsciiDigit((char)b)) return false;
                _mode = Mode.Frac;
                return true;
            case Mode.Frac:
                if (char.IsAsciiDigit((char)b)) return true;
                if (b is (byte)'e' or (byte)'E') { _mode = Mode.E; return true; }
                EndValue();
                return Feed(b);
            case Mode.E:
                if (b is (byte)'+' or (byte)'-') { _mode = Mode.ESign; return true; }
                if (!char.IsAsciiDigit((char)b)) return false;
                _mode = Mode.Exp;
                return true;
            case Mode.ESign:
                if (!char.IsAsciiDigit((char)b)) return false;
                _mode = Mode.Exp;
                return true;
            case Mode.Exp:
                if (char.IsAsciiDigit((char)b)) return true;
                EndValue();
                return Feed(b);
            case Mode.Done:
                return false;
        }

        // Structural modes: whitespace is allowed between tokens, in short runs.
        if (b is (byte)' ' or (byte)'\n' or (byte)'\t' or (byte)'\r')
            return ++_whitespace <= MaxWhitespaceRun;
        _whitespace = 0;
        switch (_mode)
        {
            case Mode.Start:
                return b == '{' && Push(true);
            case Mode.FirstKeyOrEnd:
                if (b == '}') return Pop(true);
                goto case Mode.Key;
            case Mode.Key:
                if (b != '"') return false;
                _mode = Mode.String;
                _inKey = true;
                return true;
            case Mode.Colon:
                if (b != ':') return false;
                _mode = Mode.Value;
                return true;
            case Mode.FirstValueOrEnd:
                if (b == ']') return Pop(false);
                goto case Mode.Value;
            case Mode.Value:
                return BeginValue(b);
            case Mode.AfterValue:
                bool inObject = (_stack & (1UL << (_depth - 1))) != 0;
                if (b == ',') { _mode = inObject ? Mode.Key : Mode.Value; return true; }
                return b == (inObject ? '}' : ']') && Pop(inObject);
            default:
                return false;
        }
    }

    private bool BeginValue(byte b)
    {
        _inKey = false;
        switch (b)
        {
            case (byte)'{': return Push(true);
            case (byte)'[': return Push(false);
            case (byte)'"': _mode = Mode.String; return true;
            case (byte)'-': _mode = Mode.Minus; return true;
            case (byte)'0': _mode = Mode.Zero; return true;
            case (byte)'t': _mode = Mode.Literal; _literal = 0; _counter = 1; return true;
            case (byte)'f': _mode = Mode.Literal; _literal = 1; _counter = 1; return true;
            case (byte)'n': _mode = Mode.Literal; _literal = 2; _counter = 1; return true;
        }
        if (b is >= (byte)'1' and <= (byte)'9') { _mode = Mode.Int; return true; }
        return false;
    }

    private bool Push(bool isObject)
    {
        if (_depth == MaxDepth)
            return false;
        if (isObject) _stack |= 1UL << _depth;
        else _stack &= ~(1UL << _depth);
        _depth++;
        _mode = isObject ? Mode.FirstKeyOrEnd : Mode.FirstValueOrEnd;
        return true;
    }

    private bool Pop(bool isObject)
    {
        _ = isObject;
        _depth--;
        EndValue();
        return true;
    }

    private void EndValue()
    {
        _mode = _depth == 0 ? Mode.Done : Mode.AfterValue;
        _whitespace = 0;
    }
}
