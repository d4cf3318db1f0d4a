using System.Text;
using System.Text.Json;
using EdgeLM.TestSupport;

namespace EdgeLM.Templates.Tests;

/// <summary>Every case of ../shared/testdata/templates/*.expected.json, one test per template file.</summary>
public sealed class GoldenTemplateTests
{
    public static TheoryData<string> TemplateFiles()
    {
        var data = new TheoryData<string>();
        foreach (string path in Directory.GetFiles(TestData.File("templates"), "*.expected.json").Order(StringComparer.Ordinal))
            data.Add(Path.GetFileName(path));
        return data;
    }

    [Theory]
    [MemberData(nameof(TemplateFiles))]
    public void Template_renders_every_case_exactly_as_transformers(string expectedFile)
    {
        var failures = GoldenCases.Run(expectedFile, out int total);
        Assert.True(failures.Count == 0, $"{expectedFile}: {failures.Count} of {total} cases failed:\n" + string.Join("\n", failures));
    }

    [Fact]
    public void Golden_data_holds_all_854_cases()
    {
        int total = 0;
        foreach (string path in Directory.GetFiles(TestData.File("templates"), "*.expected.json"))
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            total += doc.RootElement.GetProperty("cases").GetArrayLength();
        }
        Assert.Equal(854, total);
    }
}

/// <summary>Renders the cases of one expected file and describes each mismatch.</summary>
internal static class GoldenCases
{
    public static List<string> Run(string expectedFile, out int total)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(TestData.File("templates", expectedFile)));
        string templateName = doc.RootElement.GetProperty("template").GetString()!;
        string source = File.ReadAllText(TestData.File("templates", templateName), Encoding.UTF8);
        var template = Template.Parse(source, templateName).WithClock(FixedClock.Instance);
        var failures = new List<string>();
        var cases = doc.RootElement.GetProperty("cases");
        total = cases.GetArrayLength();
        int index = 0;
        foreach (var c in cases.EnumerateArray())
        {
            string label = $"case {index} '{c.GetProperty("name").GetString()}'";
            string? actual = null;
            TemplateException? error = null;
            try
            {
                actual = template.Render(c.GetProperty("variables"));
            }
            catch (TemplateException e)
            {
                error = e;
            }
            if (c.TryGetProperty("expected", out var expectedElement))
            {
                string expected = expectedElement.GetString()!;
                if (error is not null)
                    failures.Add($"{label}: expected output, got error {error.Message}");
                else if (actual != expected)
                    failures.Add($"{label}: {DescribeDifference(expected, actual!)}");
            }
            else
            {
                string expectedError = c.GetProperty("error").GetString()!;
                if (error is null)
                    failures.Add($"{label}: expected error '{expectedError}', but it rendered {Snippet(actual!, 0)}");
                else if (error.PythonStyle != expectedError)
                    failures.Add($"{label}: expected error '{expectedError}', got '{error.PythonStyle}' ({error.Message})");
            }
            index++;
        }
        return failures;
    }

    public static string DescribeDifference(string expected, string actual)
    {
        int i = 0;
        while (i < expected.Length && i < actual.Length && expected[i] == actual[i])
            i++;
        return $"first difference at offset {i} (expected length {expected.Length}, actual {actual.Length}): expected {Snippet(expected, i)} but got {Snippet(actual, i)}";
    }

    private static string Snippet(string s, int at)
    {
        int start = Math.Max(0, at - 30);
        int end = Math.Min(s.Length, at + 50);
        return JsonSerializer.Serialize(s[start..end]);
    }
}
