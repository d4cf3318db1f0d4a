using System.CommandLine;
using System.Text;
using System.Text.Json;
using EdgeLM.Inference;

namespace EdgeLM.Cli.Commands;

/// <summary>`edgelm run`: generate text from a prompt, streamed as it is produced.</summary>
public static class RunCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var prompt = new Option<string?>("--prompt", "-p") { Description = "Prompt text." };
        var file = new Option<string?>("--file", "-f") { Description = "Read the prompt from a file (UTF-8, used as is)." };
        var n = new Option<int>("--n-predict", "-n") { Description = "Tokens to generate; -1 = until the end of the context (default 128).", DefaultValueFactory = _ => 128 };
        var ctx = CommonOptions.Context();
        var threads = CommonOptions.Threads();
        var kv = CommonOptions.KvType("f16");
        var sampling = new CommonOptions.Sampling();
        var json = new Option<bool>("--json") { Description = "Print one JSON object (prompt tokens, tokens, text, timings) instead of streaming." };
        var special = new Option<bool>("--special") { Description = "Parse special-token text (e.g. <|im_start|>) in the prompt as control tokens, as chat does." };
        var stop = new Option<string[]>("--stop") { Description = "Stop when this text appears (repeatable).", AllowMultipleArgumentsPerToken = false };
        var command = new Command("run", "Generate text from a prompt with a GGUF model, streaming the output.");
        foreach (Option o in new Option[] { model, prompt, file, n, ctx, threads, kv, json, special, stop })
            command.Options.Add(o);
        sampling.AddTo(command);
        command.SetAction(r =>
        {
            string text = ReadPrompt(r.GetValue(prompt), r.GetValue(file));
            var sampler = sampling.Read(r);
            bool asJson = r.GetValue(json);
            var (m, loadMs) = ModelLoading.Load(r.GetValue(model), quiet: asJson, r.GetValue(ctx), CommonOptions.ParseKvType(r.GetValue(kv)));
            using (m)
            {
                var tokens = PromptEncoding.Encode(m.Tokenizer, text, r.GetValue(special));
                int maxTokens = r.GetValue(n);
                using var session = new InferenceSession(m, new SessionOptions
                {
                    ContextLength = r.GetValue(ctx),
                    Threads = r.GetValue(threads),
                    KvCacheType = CommonOptions.ParseKvType(r.GetValue(kv)),
                });
                if (tokens.Length >= session.ContextLength)
                    throw new UserFacingException($"the prompt is {tokens.Length} tokens but the context window holds {session.ContextLength}; raise it with -c");
                var options = new GenerationOptions { MaxTokens = maxTokens, Sampler = sampler, StopStrings = r.GetValue(stop) ?? [] };
                using var cancel = new CancellationTokenSource();
                ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; cancel.Cancel(); };
                Console.CancelKeyPress += onCancel;
                try
                {
                    var stdout = Console.OpenStandardOutput();
                    var result = new TextGenerator(session).Generate(tokens, options, asJson ? null : piece =>
                    {
                        stdout.Write(Encoding.UTF8.GetBytes(piece));
                        stdout.Flush();
                    }, cancel.Token);
                    if (asJson)
                        WriteJson(stdout, result, loadMs);
                    else
                    {
                        stdout.Write("\n"u8);
                        var t = result.Timings;
                        Console.Error.WriteLine($"load {loadMs:F0} ms | prompt {result.PromptTokens.Length} tokens ({t.PromptTokensPerSecond:F1} tok/s) | " +
                            $"generated {result.Tokens.Length} tokens ({t.TokensPerSecond:F1} tok/s) | stop: {result.StopReason}");
                    }
                }
                finally
                {
                    Console.CancelKeyPress -= onCancel;
                }
            }
            return 0;
        });
        return command;
    }

    internal static string ReadPrompt(string? prompt, string? file)
    {
        if (prompt is not null && file is not null)
            throw new UserFacingException("give the prompt with -p or -f, not both");
        if (file is not null)
        {
            if (!File.Exists(file))
                throw new UserFacingException($"prompt file not found: {file}");
            return Encoding.UTF8.GetString(File.ReadAllBytes(file));
        }
        if (prompt is not null)
            return prompt;
        if (Console.IsInputRedirected)
        {
            using var stdin = Console.OpenStandardInput();
            using var ms = new MemoryStream();
            stdin.CopyTo(ms);
            return Encoding.UTF8.GetString(ms.ToArray());
        }
        throw new UserFacingException("no prompt: give one with -p TEXT or -f FILE");
    }

    private static void WriteJson(Stream stdout, GenerationResult result, double loadMs)
    {
        using (var w = new Utf8JsonWriter(stdout, JsonOutput.Compact))
        {
            w.WriteStartObject();
            w.WriteStartArray("prompt_tokens");
            foreach (int t in result.PromptTokens) w.WriteNumberValue(t);
            w.WriteEndArray();
            w.WriteStartArray("tokens");
            foreach (int t in result.Tokens) w.WriteNumberValue(t);
            w.WriteEndArray();
            w.WriteString("text", result.Text);
            w.WriteString("stop_reason", result.StopReason.ToString());
            w.WriteStartObject("timings");
            w.WriteNumber("load_ms", Math.Round(loadMs, 3));
            w.WriteNumber("prompt_ms", Math.Round(result.Timings.PromptMs, 3));
            w.WriteNumber("prompt_tokens_per_second", Math.Round(result.Timings.PromptTokensPerSecond, 3));
            w.WriteNumber("generation_ms", Math.Round(result.Timings.GenerationMs, 3));
            w.WriteNumber("tokens_per_second", Math.Round(result.Timings.TokensPerSecond, 3));
            w.WriteEndObject();
            w.WriteEndObject();
        }
        stdout.Write("\n"u8);
        stdout.Flush();
    }
}
