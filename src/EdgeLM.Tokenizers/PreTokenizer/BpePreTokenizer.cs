namespace EdgeLM.Tokenizers.PreTokenizer;

/// <summary>
/// The pre-tokenizer that `tokenizer.ggml.pre` selects for a byte-level BPE vocabulary: a chain of
/// splitting stages (llama.cpp's regex_exprs for that pre-tokenizer type, in order) plus the per-type
/// flags llama.cpp sets beside it (clean_spaces, ignore_merges, add_bos default).
/// </summary>
internal sealed class BpePreTokenizer
{
    private static readonly Gpt2Splitter s_gpt2 = new();

    private readonly IWordSplitter[] _stages;

    private BpePreTokenizer(string name, IWordSplitter[] stages, bool cleanSpaces = true, bool ignoreMerges = false, bool addBos = false)
    {
        Name = name;
        _stages = stages;
        CleanSpaces = cleanSpaces;
        IgnoreMerges = ignoreMerges;
        AddBosDefault = addBos;
    }

    /// <summary>The pre-tokenizer type llama.cpp maps the name to (e.g. "llama3" for "llama-bpe").</summary>
    public string Name { get; }

    /// <summary>llama.cpp's clean_spaces: the detokenizer removes the space before ? ! . , and some contractions.</summary>
    public bool CleanSpaces { get; }

    /// <summary>llama.cpp's ignore_merges: a pre-tokenized word that is itself a token is emitted whole.</summary>
    public bool IgnoreMerges { get; }

    /// <summary>add_bos before `tokenizer.ggml.add_bos_token` is read.</summary>
    public bool AddBosDefault { get; }

    /// <summary>Cuts <paramref name="cpts"/> into words; <paramref name="pieces"/> receives their lengths in code points.</summary>
    public void Split(ReadOnlySpan<int> cpts, List<int> pieces, List<int> scratch)
    {
        pieces.Clear();
        if (cpts.IsEmpty)
        {
            return;
        }
        pieces.Add(cpts.Length);
        foreach (IWordSplitter stage in _stages)
        {
            scratch.Clear();
            stage.Split(cpts, pieces, scratch);
            pieces.Clear();
            pieces.AddRange(scratch);
        }
    }

    /// <summary>
    /// The pre-tokenizer for a `tokenizer.ggml.pre` value (null or absent → "default", as llama.cpp does
    /// with a warning). Names llama.cpp does not know, or whose patterns are not implemented here, throw.
    /// </summary>
    public static BpePreTokenizer ForName(string? pre)
    {
        switch (pre)
        {
            case null or "" or "default":
                return new BpePreTokenizer("default",
                [
                    Collapsed("[" + RegexSplitter.CollapsedPunctuation + "\\$\\+<=>\\^~\\|]+"),
                    s_gpt2,
                    Collapsed("[" + RegexSplitter.CollapsedNumber + "]+"),
                    Wide("[0-9][0-9][0-9]"),
                ]);
            case "llama3" or "llama-v3" or "llama-bpe" or "falcon3" or "falcon-h1" or "pixtral" or "midm-2.0" or "lfm2" or "jina-v5-nano":
                return new BpePreTokenizer("llama3", [new Llama3Splitter(3)], ignoreMerges: true, addBos: true);
            case "dbrx" or "smaug-bpe":
                return new BpePreTokenizer(pre, [new Llama3Splitter(3)]);
            case "chatglm-bpe" or "glm4":
                return new BpePreTokenizer("chatglm4", [new Llama3Splitter(3)]);
            case "deepseek-llm":
                return new BpePreTokenizer("deepseek-llm",
                [
                    Wide("[\r\n]"),
                    Wide("\\s?(?:[" + DeepSeekLetters + "]|" + DeepSeekSupplementaryLetters + ")+"),
                    Wide("\\s?[!-/:-~\uFF01-\uFF0F\uFF1A-\uFF5E\u2018-\u201F\u3000-\u3002]+"),
                    Wide("\\s+\\z"),
                    Wide("[\u4E00-\u9FA5\u0800-\u4E00\uAC00-\uD7FF]+"),
                    Collapsed("[" + RegexSplitter.CollapsedNumber + "]+"),
                ], cleanSpaces: false);
            case "deepseek-coder":
                return new BpePreTokenizer("deepseek-coder",
                [
                    Wide("[\r\n]"),
                    Collapsed("\\s?[" + RegexSplitter.CollapsedLetter + "]+"),
                    Collapsed("\\s?[" + RegexSplitter.CollapsedPunctuation + "]+"),
                    Wide("[\u4E00-\u9FA5\u0800-\u4E00\uAC00-\uD7FF]+"),
                    Collapsed("[" + RegexSplitter.CollapsedNumber + "]"),
                ], cleanSpaces: false);
            case "falcon":
                return new BpePreTokenizer("falcon",
                [
                    Collapsed("[" + RegexSplitter.CollapsedPunctuation + "\\$\\+<=>\\^~\\|`]+"),
                    s_gpt2,
                    Wide("[0-9][0-9][0-9]"),
                ]);
            case "mpt" or "gpt-2" or "phi-2" or "jina-es" or "jina-de" or "gigachat" or "jina-v2-es" or "jina-v2-de"
                or "a.x-4.0" or "mellum" or "modern-bert" or "olmo" or "jais" or "exaone4" or "jina-v1-en" or "jina-v2-code"
                or "roberta-bpe":
                return new BpePreTokenizer(pre, [s_gpt2]);
            case "trillion" or "granite-docling":
                return new BpePreTokenizer(pre, [s_gpt2], cleanSpaces: false);
            case "starcoder" or "refact" or "codeshell" or "exaone" or "minerva-7b" or "mellum2":
                return new BpePreTokenizer(pre, [Collapsed("[" + RegexSplitter.CollapsedNumber + "]"), s_gpt2]);
            case "command-r" or "smollm":
                return new BpePreTokenizer(pre, [Collapsed("[" + RegexSplitter.CollapsedNumber + "]"), s_gpt2], cleanSpaces: false);
            case "qwen2" or "deepseek-r1-qwen" or "kormo" or "f2llmv2" or "hunyuan" or "solar-open":
                return new BpePreTokenizer("qwen2", [new Llama3Splitter(1)], cleanSpaces: false);
            case "stablelm2" or "megrez":
                return new BpePreTokenizer("qwen2", [new Llama3Splitter(1)]);
            default:
                throw new NotSupportedException($"tokenizer.ggml.pre = '{pre}' is not a supported BPE pre-tokenizer");
        }
    }

    private static RegexSplitter Collapsed(string pattern) => new(pattern, RegexSplitter.TextView.Collapsed);

    private static RegexSplitter Wide(string pattern) => new(pattern, RegexSplitter.TextView.Wide);

    /// <summary>The BMP part of DeepSeek LLM's letter class (its tokenizer.json pattern, as llama.cpp copies it).</summary>
    private const string DeepSeekLetters =
        "A-Za-z\u00B5\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u01BA\u01BC-\u01BF\u01C4-\u0293\u0295-\u02AF\u0370-\u0373\u0376\u0377" +
        "\u037B-\u037D\u037F\u0386\u0388-\u038A\u038C\u038E-\u03A1\u03A3-\u03F5\u03F7-\u0481\u048A-\u052F\u0531-\u0556" +
        "\u10A0-\u10C5\u13A0-\u13F5\u13F8-\u13FD\u1C90-\u1CBA\u1CBD-\u1CBF\u1D00-\u1D2B\u1D6B-\u1D77\u1D79-\u1D9A" +
        "\u1E00-\u1F15\u1F18-\u1F1D\u1F20-\u1F45\u1F48-\u1F4D\u1F50-\u1F57\u1F59\u1F5B\u1F5D\u1F5F-\u1F7D\u1F80-\u1FB4" +
        "\u1FB6-\u1FBC\u1FBE\u1FC2-\u1FC4\u1FC6-\u1FCC\u1FD0-\u1FD3\u1FD6-\u1FDB\u1FE0-\u1FEC\u1FF2-\u1FF4\u1FF6-\u1FFC" +
        "\u2102\u2107\u210A-\u2113\u2115\u2119-\u211D\u2124\u2126\u2128\u212A-\u212D\u212F-\u2134\u2139\u213C-\u213F" +
        "\u2145-\u2149\u214E\u2183\u2184\u2C00-\u2C7B\u2C7E-\u2CE4\u2CEB-\u2CEE\u2CF2\u2CF3\uA640-\uA66D\uA680-\uA69B" +
        "\uA722-\uA76F\uA771-\uA787\uA78B-\uA78E\uAB70-\uABBF\uFB00-\uFB06\uFB13-\uFB17\uFF21-\uFF3A\uFF41-\uFF5A";

    /// <summary>
    /// The supplementary-plane ranges of that class (U+10400-1044F, 104B0-104D3, 104D8-104FB, 10C80-10CB2,
    /// 10CC0-10CF2, 118A0-118DF, 1E900-1E943) as UTF-16 surrogate pairs, because .NET classes hold UTF-16 units.
    /// </summary>
    private const string DeepSeekSupplementaryLetters =
        "\uD801[\uDC00-\uDC4F]|\uD801[\uDCB0-\uDCD3]|\uD801[\uDCD8-\uDCFB]|\uD803[\uDC80-\uDCB2]|\uD803[\uDCC0-\uDCF2]" +
        "|\uD806[\uDCA0-\uDCDF]|\uD83A[\uDD00-\uDD43]";
}
