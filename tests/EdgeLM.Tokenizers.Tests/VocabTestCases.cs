using System.Text;
using EdgeLM.TestSupport;

namespace EdgeLM.Tokenizers.Tests;

/// <summary>
/// Reads llama.cpp's test-tokenizer-0 files as vocab/README.md specifies: the .inp is texts each followed by
/// "\n__ggml_vocab_test__\n" (leftmost match, no line splitting); the .out has one line of ids per text.
/// </summary>
internal static class VocabTestCases
{
    private static readonly byte[] s_separator = Encoding.UTF8.GetBytes("\n__ggml_vocab_test__\n");

    /// <summary>The vocabularies that have an .inp/.out pair.</summary>
    public static readonly string[] Names =
    [
        "bert-bge", "deepseek-coder", "deepseek-llm", "falcon", "gpt-2", "llama-bpe", "llama-spm", "mpt", "phi-3",
        "qwen2", "refact", "starcoder",
    ];

    public static TheoryData<string> All()
    {
        var data = new TheoryData<string>();
        foreach (string name in Names)
        {
            data.Add(name);
        }
        return data;
    }

    public static List<byte[]> ReadTexts(string name)
    {
        byte[] all = File.ReadAllBytes(TestData.File("vocab", $"ggml-vocab-{name}.gguf.inp"));
        var texts = new List<byte[]>();
        int pos = 0;
        while (pos < all.Length)
        {
            int sep = all.AsSpan(pos).IndexOf(s_separator);
            if (sep < 0)
            {
                texts.Add(all[pos..]);
                break;
            }
            texts.Add(all[pos..(pos + sep)]);
            pos += sep + s_separator.Length;
        }
        return texts;
    }

    public static List<int[]> ReadExpected(string name)
    {
        byte[] all = File.ReadAllBytes(TestData.File("vocab", $"ggml-vocab-{name}.gguf.out"));
        string text = Encoding.UTF8.GetString(all);
        var lines = text.Split('\n');
        // Each line ends with LF, so the split leaves one empty string after the last line.
        return lines.Take(lines.Length - 1)
            .Select(l => l.Trim().Length == 0 ? [] : l.Trim().Split(' ').Select(int.Parse).ToArray())
            .ToList();
    }
}
