using System.Collections.Concurrent;
using EdgeLM.Gguf;
using EdgeLM.TestSupport;

namespace EdgeLM.Tokenizers.Tests;

/// <summary>Loads each test-data tokenizer once per test run (the large BPE vocabularies take a moment).</summary>
internal static class TokenizerCache
{
    private static readonly ConcurrentDictionary<string, Lazy<Tokenizer>> s_cache = new();

    public static Tokenizer Vocab(string name) => Load(TestData.File("vocab", $"ggml-vocab-{name}.gguf"));

    public static Tokenizer Model(string file) => Load(TestData.Models(file));

    public static Tokenizer Load(string path) =>
        s_cache.GetOrAdd(path, p => new Lazy<Tokenizer>(() =>
        {
            using GgufFile file = GgufFile.Open(p);
            return Tokenizer.FromGguf(file.Metadata);
        })).Value;
}
