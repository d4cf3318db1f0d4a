using System.CommandLine;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using EdgeLM.Gguf;
using EdgeLM.Tokenizers;

namespace EdgeLM.Cli.Commands;

/// <summary>
/// `edgelm tokenize`: prints the token ids of a text as llama.cpp's llama-tokenize would compute them.
/// The text comes from -p, from -f (raw bytes, nothing trimmed) or from stdin (likewise).
/// </summary>
public static class TokenizeCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = "GGUF file whose tokenizer to use", Required = true };
        var prompt = new Option<string?>("--prompt", "-p") { Description = "Text to tokenize" };
        var file = new Option<string?>("--file", "-f") { Description = "File whose bytes (UTF-8) to tokenize; default: stdin" };
        var ids = new Option<bool>("--ids") { Description = "Print only the ids, on one line separated by spaces" };
        var json = new Option<bool>("--json") { Description = "Print {\"tokens\":[...],\"pieces\":[...]}" };
        var noBos = new Option<bool>("--no-bos") { Description = "Add no BOS/EOS even if the model asks for them" };
        var special = new Option<bool>("--special") { Description = "Recognize control-token text such as <|im_start|>" };
        var bench = new Option<int>("--bench")
        {
            Description = "Benchmark: tokenize the input N times and print throughput instead of tokens",
            Hidden = true,
        };

        var command = new Command("tokenize", "Tokenize text with a model's tokenizer, exactly like llama.cpp");
        foreach (Option option in new Option[] { model, prompt, file, ids, json, noBos, special, bench })
        {
            command.Options.Add(option);
        }

        // System.CommandLine's default exception handler would print a stack trace before Program's
        // CliErrors sees the exception, so the action reports its own errors through CliErrors (one line).
        command.SetAction(parseResult => CliErrors.Run(() =>
        {
            string? text = parseResult.GetValue(prompt);
            string? path = parseResult.GetValue(file);
            if (text is not null && path is not null)
            {
                throw new ArgumentException("give the text with either -p or -f, not both");
            }
            if (parseResult.GetValue(ids) && parseResult.GetValue(json))
            {
                throw new ArgumentException("--ids and --json are alternative output formats; give one");
            }
            byte[] input = text is not null ? Encoding.UTF8.GetBytes(text)
                : path is not null ? File.ReadAllBytes(path)
                : ReadAll(Console.OpenStandardInput());

            Tokenizer tokenizer;
            using (GgufFile gguf = GgufFile.Open(parseResult.GetValue(model)!))
            {
                tokenizer = Tokenizer.FromGguf(gguf.Metadata);
            }
            bool addSpecial = !parseResult.GetValue(noBos);
            bool parseSpecial = parseResult.GetValue(special);

            int repeat = parseResult.GetValue(bench);
            if (repeat > 0)
            {
                Benchmark(tokenizer, input, addSpecial, parseSpecial, repeat);
                return 0;
            }

            int[] tokens = tokenizer.Encode(input, addSpecial, parseSpecial);
            using Stream stdout = Console.OpenStandardOutput();
            if (parseResult.GetValue(json))
            {
                WriteJson(stdout, tokenizer, tokens);
            }
            else
            {
                using var writer = new StreamWriter(stdout, new UTF8Encoding(false));
                if (parseResult.GetValue(ids))
                {
                    writer.WriteLine(string.Join(' ', tokens));
                }
                else
                {
                    foreach (int id in tokens)
                    {
                        writer.WriteLine($"{id} -> '{tokenizer.TokenToPiece(id)}'");
                    }
                }
            }
            return 0;
        }));
        return command;
    }

    private static void WriteJson(Stream stdout, Tokenizer tokenizer, int[] tokens)
    {
        using (var json = new Utf8JsonWriter(stdout))
        {
            json.WriteStartObject();
            json.WriteStartArray("tokens");
            foreach (int id in tokens)
            {
                json.WriteNumberValue(id);
            }
            json.WriteEndArray();
            json.WriteStartArray("pieces");
            foreach (int id in tokens)
            {
                json.WriteStringValue(tokenizer.TokenToPiece(id));
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        stdout.WriteByte((byte)'\n');
    }

    /// <summary>Median of <paramref name="repeat"/> timed runs after one warm-up run; prints MB/s and tokens.</summary>
    private static void Benchmark(Tokenizer tokenizer, byte[] input, bool addSpecial, bool parseSpecial, int repeat)
    {
        int count = tokenizer.Encode(input, addSpecial, parseSpecial).Length;
        var seconds = new double[repeat];
        for (int i = 0; i < repeat; i++)
        {
            long start = Stopwatch.GetTimestamp();
            tokenizer.Encode(input, addSpecial, parseSpecial);
            seconds[i] = Stopwatch.GetElapsedTime(start).TotalSeconds;
        }
        Array.Sort(seconds);
        double median = seconds[repeat / 2];
        Console.WriteLine($"bytes={input.Length} tokens={count} runs={repeat} median_s={median:F4} min_s={seconds[0]:F4} MB/s={input.Length / 1e6 / median:F2}");
    }

    private static byte[] ReadAll(Stream stream)
    {
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
