using System.Text;

namespace EdgeLM.Tokenizers.Tests;

/// <summary>
/// Every text of llama.cpp's tokenizer test files must give exactly the expected ids with
/// add_special = false and parse_special = false (vocab/README.md).
/// </summary>
public sealed class VocabularyConformanceTests
{
    [Theory]
    [MemberData(nameof(VocabTestCases.All), MemberType = typeof(VocabTestCases))]
    public void Every_test_text_tokenizes_to_llama_cpp_ids(string vocab)
    {
        Tokenizer tokenizer = TokenizerCache.Vocab(vocab);
        List<byte[]> texts = VocabTestCases.ReadTexts(vocab);
        List<int[]> expected = VocabTestCases.ReadExpected(vocab);
        Assert.Equal(expected.Count, texts.Count);

        var failures = new StringBuilder();
        for (int i = 0; i < texts.Count; i++)
        {
            int[] actual = tokenizer.Encode(texts[i], addSpecial: false, parseSpecial: false);
            if (actual.AsSpan().SequenceEqual(expected[i]))
            {
                continue;
            }
            int first = 0;
            while (first < actual.Length && first < expected[i].Length && actual[first] == expected[i][first])
            {
                first++;
            }
            failures.AppendLine($"text #{i} {Escape(Encoding.UTF8.GetString(texts[i]))}: first difference at index {first}");
            failures.AppendLine($"  expected: {string.Join(' ', expected[i])}");
            failures.AppendLine($"  actual:   {string.Join(' ', actual)}");
        }
        Assert.True(failures.Length == 0, $"{vocab}:\n{failures}");
    }

    [Theory]
    [MemberData(nameof(VocabTestCases.All), MemberType = typeof(VocabTestCases))]
    public void String_and_utf8_overloads_agree(string vocab)
    {
        Tokenizer tokenizer = TokenizerCache.Vocab(vocab);
        foreach (byte[] text in VocabTestCases.ReadTexts(vocab))
        {
            Assert.Equal(tokenizer.Encode(text, false), tokenizer.Encode(Encoding.UTF8.GetString(text), false));
        }
    }

    internal static string Escape(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (char c in s)
        {
            sb.Append(c switch
            {
                '\n' => "\\n",
                '\t' => "\\t",
                '\r' => "\\r",
                '"' => "\\\"",
                _ when c < ' ' => $"\\u{(int)c:X4}",
                _ => c.ToString(),
            });
        }
        return sb.Append('"').ToString();
    }
}
