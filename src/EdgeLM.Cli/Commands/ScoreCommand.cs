using System.CommandLine;
using System.Text.Json;
using EdgeLM.Inference;

namespace EdgeLM.Cli.Commands;

/// <summary>
/// `edgelm score`: teacher-forced evaluation of a sequence. positions[i] is the next-token distribution after
/// tokens[0..i] (log-softmax, natural log), the layout of the golden files in the shared test data.
/// </summary>
public static class ScoreCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var prompt = new Option<string?>("--prompt", "-p") { Description = "Text to score (tokenized with BOS as the model's metadata says)." };
        var tokens = new Option<string?>("--tokens") { Description = "Comma-separated token ids, used as given (no BOS added)." };
        var top = new Option<int>("--top") { Description = "How many most likely tokens to list per position (default 10).", DefaultValueFactory = _ => 10 };
        var json = new Option<bool>("--json") { Description = "Print JSON (the only output format; accepted for clarity)." };
        var kv = CommonOptions.KvType("f32");
        var threads = CommonOptions.Threads();
        var command = new Command("score", "Score a token sequence teacher-forced: the top next-token log-probabilities at every position.");
        foreach (Option o in new Option[] { model, prompt, tokens, top, json, kv, threads })
            command.Options.Add(o);
        command.SetAction(r =>
        {
            string? text = r.GetValue(prompt), ids = r.GetValue(tokens);
            if ((text is null) == (ids is null))
                throw new UserFacingException("give either -p TEXT or --tokens 1,2,3");
            int k = r.GetValue(top);
            if (k < 1)
                throw new UserFacingException($"--top must be at least 1, got {k}");
            var (m, _) = ModelLoading.Load(r.GetValue(model), quiet: true);
            using (m)
            {
                int vocab = m.Hyperparameters.VocabSize;
                int[] seq = text is not null ? m.Tokenizer.Encode(text, addSpecial: true) : ParseIds(ids!, vocab);
                if (seq.Length == 0)
                    throw new UserFacingException("nothing to score: the sequence is empty");
                using var session = new InferenceSession(m, new SessionOptions
                {
                    ContextLength = Math.Max(seq.Length, 1),
                    KvCacheType = CommonOptions.ParseKvType(r.GetValue(kv)),
                    Threads = r.GetValue(threads),
                });
                var logits = new float[(long)seq.Length * vocab];
                session.EvaluateAll(seq, logits);
                WriteJson(Console.OpenStandardOutput(), seq, logits, vocab, Math.Min(k, vocab));
            }
            return 0;
        });
        return command;
    }

    private static int[] ParseIds(string s, int vocab)
    {
        var parts = s.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var ids = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], out ids[i]) || ids[i] < 0 || ids[i] >= vocab)
                throw new UserFacingException($"--tokens: '{parts[i]}' is not a token id in 0..{vocab - 1}");
        }
        return ids;
    }

    private static void WriteJson(Stream stdout, int[] seq, float[] logits, int vocab, int k)
    {
        using (var w = new Utf8JsonWriter(stdout, JsonOutput.Compact))
        {
            w.WriteStartObject();
            w.WriteStartArray("tokens");
            foreach (int t in seq) w.WriteNumberValue(t);
            w.WriteEndArray();
            w.WriteStartArray("positions");
            var order = new int[vocab];
            var lp = new double[vocab];
            for (int i = 0; i < seq.Length; i++)
            {
                var row = logits.AsSpan(i * vocab, vocab);
                double max = double.NegativeInfinity;
                foreach (float z in row) max = Math.Max(max, z);
                double sum = 0;
                foreach (float z in row) sum += Math.Exp(z - max);
                double lse = max + Math.Log(sum);
                for (int v = 0; v < vocab; v++) { lp[v] = row[v] - lse; order[v] = v; }
                // Best first; ties by lower id (the golden files' order).
                Array.Sort(order, (a, b) => lp[b] != lp[a] ? lp[b].CompareTo(lp[a]) : a.CompareTo(b));
                w.WriteStartObject();
                w.WriteStartArray("top");
                for (int j = 0; j < k; j++)
                {
                    w.WriteStartArray();
                    w.WriteNumberValue(order[j]);
                    w.WriteNumberValue(Math.Round(lp[order[j]], 6));
                    w.WriteEndArray();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        stdout.Write("\n"u8);
        stdout.Flush();
    }
}
