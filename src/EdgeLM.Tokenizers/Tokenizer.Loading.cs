using System.Text;
using EdgeLM.Gguf;
using EdgeLM.Tokenizers.Model;
using EdgeLM.Tokenizers.PreTokenizer;

namespace EdgeLM.Tokenizers;

/// <summary>Building a tokenizer from GGUF metadata, in the order llama.cpp's llama_vocab::impl::load does it.</summary>
public sealed partial class Tokenizer
{
    private const string Prefix = "tokenizer.ggml.";

    /// <summary>Names llama.cpp takes as end of turn when no eot id is stored, in the order they are preferred here.</summary>
    private static readonly string[] s_eotNames =
    [
        "<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<|end_of_text|>", "<EOT>", "_<EOT>",
        "[EOT]", "<｜end▁of▁sentence｜>", "<end_of_utterance>",
    ];

    private static readonly string[] s_fimPreNames = ["<|fim_prefix|>", "<fim-prefix>", "<fim_prefix>", "<｜fim▁begin｜>", "<PRE>", "▁<PRE>", "<|code_prefix|>", "<|prefix|>"];
    private static readonly string[] s_fimSufNames = ["<|fim_suffix|>", "<fim-suffix>", "<fim_suffix>", "<｜fim▁hole｜>", "<SUF>", "▁<SUF>", "<|code_suffix|>", "<|suffix|>"];
    private static readonly string[] s_fimMidNames = ["<|fim_middle|>", "<fim-middle>", "<fim_middle>", "<｜fim▁end｜>", "<MID>", "▁<MID>", "<|code_middle|>", "<|middle|>"];
    private static readonly string[] s_fimPadNames = ["<|fim_pad|>", "<fim-pad>", "<fim_pad>", "<PAD>", "[PAD]"];
    private static readonly string[] s_fimRepNames = ["<|fim_repo|>", "<|repo_name|>", "<fim-repo>", "<REPO>", "<reponame>"];
    private static readonly string[] s_fimSepNames = ["<|file_sep|>"];

    /// <summary>Token texts llama.cpp always counts as end of generation (and forces to CONTROL).</summary>
    private static readonly HashSet<string> s_eogNames = new(StringComparer.Ordinal)
    {
        "<|eot_id|>", "<|im_end|>", "<|end|>", "<|return|>", "<|call|>", "<|flush|>", "<|calls|>", "<end_of_turn>",
        "<|endoftext|>", "</s>", "<|eom_id|>", "<EOT>", "_<EOT>", "[EOT]", "[EOS]", "<|end_of_text|>",
        "<end_of_utterance>", "<eos>", "<turn|>", "<|tool_response>", "<｜end▁of▁sentence｜>", "[e~[",
    };

    private Tokenizer(TokenizerKind kind, Vocabulary vocab, ITokenizerModel model, SpecialTokenPartitioner partitioner, byte[][] pieces,
        bool cleanSpaces, SpecialIds ids, IReadOnlySet<int> eog, bool addBos, bool addEos, bool addSpacePrefix, string? preTokenizer)
    {
        Kind = kind;
        _vocab = vocab;
        _model = model;
        _partitioner = partitioner;
        _pieces = pieces;
        _cleanSpaces = cleanSpaces;
        _sepId = ids.Sep;
        BosId = ids.Bos;
        EosId = ids.Eos;
        EotId = ids.Eot;
        EomId = ids.Eom;
        PadId = ids.Pad;
        UnkId = ids.Unk;
        EndOfGenerationIds = eog;
        AddBos = addBos;
        AddEos = addEos;
        AddSpacePrefix = addSpacePrefix;
        PreTokenizer = preTokenizer;
    }

    /// <summary>Builds the tokenizer described by `tokenizer.ggml.*` (and `general.name` for model quirks).</summary>
    /// <exception cref="InvalidDataException">The metadata has no tokenizer or a malformed one.</exception>
    /// <exception cref="NotSupportedException">The tokenizer model or pre-tokenizer is one this library does not implement.</exception>
    public static Tokenizer FromGguf(GgufMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        string? modelName = metadata.GetStringOrNull(Prefix + "model")
            ?? throw new InvalidDataException("the GGUF file has no tokenizer: key tokenizer.ggml.model is missing");
        string? pre = metadata.GetStringOrNull(Prefix + "pre");

        var ids = new SpecialIds();
        TokenizerKind kind;
        BpePreTokenizer? preTokenizer = null;
        bool addSpacePrefix;
        bool cleanSpaces;
        bool addBos;
        bool addEos = false;
        switch (modelName)
        {
            case "llama":
                kind = TokenizerKind.Spm;
                (ids.Bos, ids.Eos, ids.Unk) = (1, 2, 0);
                addSpacePrefix = true;
                cleanSpaces = false;
                addBos = true;
                break;
            case "gpt2":
                kind = TokenizerKind.Bpe;
                // llama.cpp's defaults for BPE vocabularies before the stored ids are read.
                (ids.Bos, ids.Eos) = (11, 11);
                preTokenizer = BpePreTokenizer.ForName(pre);
                addSpacePrefix = false;
                cleanSpaces = preTokenizer.CleanSpaces;
                addBos = preTokenizer.AddBosDefault;
                break;
            case "bert":
                kind = TokenizerKind.Wpm;
                (ids.Bos, ids.Unk, ids.Sep, ids.Pad) = (101, 100, 102, 0);
                addSpacePrefix = false;
                cleanSpaces = true;
                addBos = true;
                break;
            default:
                throw new NotSupportedException($"tokenizer.ggml.model = '{modelName}' is not supported (supported: llama, gpt2, bert)");
        }
        addSpacePrefix = metadata.GetBoolOr(Prefix + "add_space_prefix", addSpacePrefix);

        Vocabulary vocab = ReadVocabulary(metadata);
        int n = vocab.Count;
        ReadSpecialIds(metadata, ids, n);
        addBos = metadata.GetBoolOr(Prefix + "add_bos_token", addBos);
        addEos = metadata.GetBoolOr(Prefix + "add_eos_token", addEos);
        bool lowercase = metadata.GetBoolOr(Prefix + "normalizer.lowercase", true);
        bool stripAccents = metadata.GetBoolOr(Prefix + "normalizer.strip_accents", lowercase);

        TokenAttributes[] attrs = vocab.Attributes;
        ids.Eot ??= FindNamed(vocab, s_eotNames, attrs);
        ids.Eom ??= FindNamed(vocab, ["<|eom_id|>"], attrs);
        ids.FimPre ??= FindNamed(vocab, s_fimPreNames, attrs);
        ids.FimSuf ??= FindNamed(vocab, s_fimSufNames, attrs);
        ids.FimMid ??= FindNamed(vocab, s_fimMidNames, attrs);
        ids.FimPad ??= FindNamed(vocab, s_fimPadNames, attrs);
        ids.FimRep ??= FindNamed(vocab, s_fimRepNames, attrs);
        ids.FimSep ??= FindNamed(vocab, s_fimSepNames, attrs);

        for (int id = 0; id < n; id++)
        {
            // llama.cpp marks CONTROL tokens whose text contains "unused" as UNUSED.
            if ((attrs[id] & TokenAttributes.Control) != 0 && vocab.Texts[id].Contains("unused", StringComparison.Ordinal))
            {
                attrs[id] |= TokenAttributes.Unused;
            }
        }

        IReadOnlySet<int> eog = BuildEndOfGeneration(vocab, ids);

        // Special-token candidates, longest UTF-8 text first (llama.cpp's cache_special_tokens).
        int[] specials = Enumerable.Range(0, n)
            .Where(id => (attrs[id] & (TokenAttributes.Control | TokenAttributes.UserDefined | TokenAttributes.Unknown)) != 0)
            .OrderByDescending(id => Encoding.UTF8.GetByteCount(vocab.Texts[id]))
            .ThenBy(id => id)
            .ToArray();
        byte[][] pieces = vocab.BuildPieces(kind);
        ApplyModelQuirks(metadata, vocab, specials, pre);

        ITokenizerModel model = kind switch
        {
            TokenizerKind.Spm => new SpmModel(vocab, ids.Unk ?? 0),
            TokenizerKind.Bpe => new BpeModel(vocab, ReadMerges(metadata), preTokenizer!),
            _ => new WpmModel(vocab, ids.Unk ?? throw new InvalidDataException("the WordPiece vocabulary has no unknown token id"), lowercase, stripAccents),
        };
        var partitioner = new SpecialTokenPartitioner(specials, vocab.Texts, attrs);
        return new Tokenizer(kind, vocab, model, partitioner, pieces, cleanSpaces, ids, eog, addBos, addEos, addSpacePrefix, preTokenizer?.Name);
    }

    private static Vocabulary ReadVocabulary(GgufMetadata metadata)
    {
        if (!metadata.Contains(Prefix + "tokens"))
        {
            throw new InvalidDataException("the GGUF file has no tokenizer vocabulary: key tokenizer.ggml.tokens is missing");
        }
        string[] tokens = metadata.GetStringArray(Prefix + "tokens");
        int n = tokens.Length;
        if (n == 0)
        {
            throw new InvalidDataException("tokenizer.ggml.tokens is empty");
        }
        for (int i = 0; i < n; i++)
        {
            if (tokens[i].Length == 0)
            {
                // llama.cpp renames empty tokens so that every text is a distinct key.
                tokens[i] = $"[EMPTY_{i}]";
            }
        }

        var scores = new float[n];
        if (metadata.TryGetValue(Prefix + "scores", out GgufValue scoreValue))
        {
            float[] stored = scoreValue.ElementType == GgufValueType.Int32
                ? Array.ConvertAll(scoreValue.AsInt32Array(), v => (float)v)
                : metadata.GetFloat32Array(Prefix + "scores");
            if (stored.Length < n)
            {
                throw new InvalidDataException($"tokenizer.ggml.scores has {stored.Length} entries for {n} tokens");
            }
            Array.Copy(stored, scores, n);
        }

        var types = new TokenType[n];
        if (metadata.Contains(Prefix + "token_type"))
        {
            int[] stored = metadata.GetInt32Array(Prefix + "token_type");
            if (stored.Length < n)
            {
                throw new InvalidDataException($"tokenizer.ggml.token_type has {stored.Length} entries for {n} tokens");
            }
            for (int i = 0; i < n; i++)
            {
                types[i] = stored[i] is >= 1 and <= 6 ? (TokenType)stored[i] : TokenType.Undefined;
            }
        }
        else
        {
            Array.Fill(types, TokenType.Normal);
        }
        return new Vocabulary(tokens, scores, types);
    }

    private static string[] ReadMerges(GgufMetadata metadata)
    {
        if (!metadata.Contains(Prefix + "merges"))
        {
            throw new InvalidDataException("BPE tokenizer without merges: key tokenizer.ggml.merges is missing");
        }
        return metadata.GetStringArray(Prefix + "merges");
    }

    private static void ReadSpecialIds(GgufMetadata metadata, SpecialIds ids, int n)
    {
        ids.Bos = Read(metadata, "bos_token_id", ids.Bos, n);
        ids.Eos = Read(metadata, "eos_token_id", ids.Eos, n);
        ids.Eot = Read(metadata, "eot_token_id", ids.Eot, n);
        ids.Eom = Read(metadata, "eom_token_id", ids.Eom, n);
        ids.Unk = Read(metadata, "unknown_token_id", ids.Unk, n);
        ids.Sep = Read(metadata, "seperator_token_id", ids.Sep, n);
        ids.Pad = Read(metadata, "padding_token_id", ids.Pad, n);
        ids.FimPre = Read(metadata, "fim_pre_token_id", ids.FimPre, n);
        ids.FimSuf = Read(metadata, "fim_suf_token_id", ids.FimSuf, n);
        ids.FimMid = Read(metadata, "fim_mid_token_id", ids.FimMid, n);
        ids.FimPad = Read(metadata, "fim_pad_token_id", ids.FimPad, n);
        ids.FimRep = Read(metadata, "fim_rep_token_id", ids.FimRep, n);
        ids.FimSep = Read(metadata, "fim_sep_token_id", ids.FimSep, n);
        ids.FimPre = Read(metadata, "prefix_token_id", ids.FimPre, n);
        ids.FimSuf = Read(metadata, "suffix_token_id", ids.FimSuf, n);
        ids.FimMid = Read(metadata, "middle_token_id", ids.FimMid, n);

        // A default outside the vocabulary is disabled; a stored id outside it is ignored (llama.cpp warns).
        static int? Read(GgufMetadata metadata, string key, int? fallback, int n)
        {
            if (fallback is int f && f >= n)
            {
                fallback = null;
            }
            if (!metadata.TryGetValue(Prefix + key, out GgufValue value))
            {
                return fallback;
            }
            long id = value.AsInt64();
            return id >= 0 && id < n ? (int)id : fallback;
        }
    }

    /// <summary>The first of <paramref name="names"/> in the vocabulary; llama.cpp also forces it to CONTROL.</summary>
    private static int? FindNamed(Vocabulary vocab, string[] names, TokenAttributes[] attrs)
    {
        foreach (string name in names)
        {
            int id = vocab.Find(name);
            if (id >= 0)
            {
                attrs[id] |= TokenAttributes.Control;
                return id;
            }
        }
        return null;
    }

    private static IReadOnlySet<int> BuildEndOfGeneration(Vocabulary vocab, SpecialIds ids)
    {
        TokenAttributes[] attrs = vocab.Attributes;
        var eog = new SortedSet<int>();
        foreach (int? id in new[] { ids.FimPad, ids.FimRep, ids.FimSep })
        {
            if (id is int v)
            {
                eog.Add(v);
            }
        }
        for (int id = 0; id < vocab.Count; id++)
        {
            // Only the id the text maps to counts (llama.cpp walks its text → id map).
            if (s_eogNames.Contains(vocab.Texts[id]) && vocab.Find(vocab.Texts[id]) == id)
            {
                eog.Add(id);
                attrs[id] |= TokenAttributes.Control;
            }
        }
        foreach (int? id in new[] { ids.Eos, ids.Eot, ids.Eom })
        {
            if (id is int v)
            {
                eog.Add(v);
            }
        }

        // gpt-oss style vocabularies: <|end|> is not an end when <|return|> and <|call|> exist.
        bool Has(string text) => eog.Any(id => vocab.Texts[id] == text);
        int? endId = eog.Cast<int?>().FirstOrDefault(id => vocab.Texts[id!.Value] == "<|end|>");
        if (endId is int end && ((Has("<|return|>") && (Has("<|call|>") || Has("<|calls|>"))) || ((Has("<|call|>") || Has("<|calls|>")) && Has("<|flush|>"))))
        {
            eog.Remove(end);
            attrs[end] = TokenAttributes.UserDefined;
        }
        int? sId = eog.Cast<int?>().FirstOrDefault(id => vocab.Texts[id!.Value] == "</s>");
        if (sId is int s && Has("<|tool_response>"))
        {
            eog.Remove(s);
            attrs[s] = TokenAttributes.Normal;
        }
        return eog;
    }

    /// <summary>
    /// Attribute quirks llama.cpp applies by model name: for phi-3 (general.name contains "phi3" or "phi-3")
    /// every special token and &lt;/s&gt; get RSTRIP except &lt;unk&gt;, &lt;s&gt; and &lt;|endoftext|&gt;;
    /// jina-v2 and modern-bert vocabularies give their mask token LSTRIP.
    /// </summary>
    private static void ApplyModelQuirks(GgufMetadata metadata, Vocabulary vocab, int[] specials, string? pre)
    {
        TokenAttributes[] attrs = vocab.Attributes;
        string name = (metadata.GetStringOrNull("general.name") ?? "").ToLowerInvariant();
        string arch = metadata.GetStringOrNull("general.architecture") ?? "";
        string tokenizerPre = pre ?? "";
        void Set(string text, TokenAttributes attr, bool on)
        {
            int id = vocab.Find(text);
            if (id >= 0)
            {
                attrs[id] = on ? attrs[id] | attr : attrs[id] & ~attr;
            }
        }

        if (tokenizerPre.Contains("jina-v2-de") || tokenizerPre.Contains("jina-v2-es") || tokenizerPre.Contains("jina-v2-code")
            || arch.Contains("nomic-bert-moe") || arch.Contains("jina-bert-v3"))
        {
            Set("<mask>", TokenAttributes.LStrip, true);
        }
        else if (name.Contains("phi-3") || name.Contains("phi3"))
        {
            foreach (int id in specials)
            {
                attrs[id] |= TokenAttributes.RStrip;
            }
            Set("</s>", TokenAttributes.RStrip, true);
            foreach (string text in new[] { "<unk>", "<s>", "<|endoftext|>" })
            {
                Set(text, TokenAttributes.RStrip, false);
            }
        }
        else if (name.Contains("modern-bert"))
        {
            Set("[MASK]", TokenAttributes.LStrip, true);
        }
    }

    private sealed class SpecialIds
    {
        public int? Bos;
        public int? Eos;
        public int? Eot;
        public int? Eom;
        public int? Unk;
        public int? Sep;
        public int? Pad;
        public int? FimPre;
        public int? FimSuf;
        public int? FimMid;
        public int? FimPad;
        public int? FimRep;
        public int? FimSep;
    }
}
