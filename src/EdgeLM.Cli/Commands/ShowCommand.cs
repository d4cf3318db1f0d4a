using EdgeLM.Gguf;
using System.CommandLine;
using System.Globalization;
using EdgeLM.ModelStore;

namespace EdgeLM.Cli;

/// <summary>`edgelm show MODEL`: a metadata summary and the memory the model needs at a given context.</summary>
public static class ShowCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "a stored model name or the path of a GGUF file" };
        var context = new Option<int?>("-c", "--ctx-size") { Description = "context length for the memory estimate (default: the model's, at most 4096)" };
        var slots = new Option<int>("--slots") { Description = "parallel sequences, each with its own KV cache", DefaultValueFactory = _ => 1 };
        var command = new Command("show", "Show a model's metadata, chat template and memory estimate");
        command.Arguments.Add(model);
        command.Options.Add(context);
        command.Options.Add(slots);
        command.SetAction(parse => CliErrors.Run(() => Run(parse.GetValue(model)!, parse.GetValue(context), parse.GetValue(slots))));
        return command;
    }

    private static int Run(string nameOrPath, int? context, int slots)
    {
        var resolved = new ModelResolver(ModelStore.ModelStore.Default()).ResolveModel(nameOrPath);
        using var model = SplitGguf.Open(resolved.Shards);
        var s = ModelSummary.Of(model);
        if (context is <= 0)
            throw new UserFacingException($"-c must be positive, not {context}");
        if (slots <= 0)
            throw new UserFacingException($"--slots must be positive, not {slots}");
        int ctx = context ?? (int)Math.Min(s.ContextLength ?? 4096, 4096);
        var o = Console.Out;
        o.WriteLine($"Model: {resolved.DisplayName}");
        o.WriteLine($"  file              {resolved.Path}" + (s.Shards > 1 ? $" (+{s.Shards - 1} shards)" : ""));
        if (s.Name is not null)
            o.WriteLine($"  name              {s.Name}");
        o.WriteLine($"  architecture      {s.Architecture}");
        o.WriteLine($"  parameters        {ModelSummary.FormatParameters(s.Parameters)} ({s.Parameters.ToString(CultureInfo.InvariantCulture)})");
        o.WriteLine($"  quantization      {s.FileType}");
        o.WriteLine($"  size              {ByteSize.Format(s.FileBytes)} ({s.TensorCount} tensors)");
        o.WriteLine($"  context length    {Text(s.ContextLength)}");
        o.WriteLine($"  embedding length  {Text(s.EmbeddingLength)}");
        o.WriteLine($"  layers            {Text(s.Layers)}");
        o.WriteLine($"  heads             {Text(s.Heads)} (KV heads {Text(s.KvHeads)})");
        o.WriteLine($"  vocabulary        {Text(s.VocabularySize)} tokens, tokenizer {s.TokenizerModel ?? "?"}" + (s.TokenizerPre is null ? "" : $" ({s.TokenizerPre})"));
        if (s.Defaults.Count > 0)
        {
            o.WriteLine();
            o.WriteLine("Defaults:");
            foreach (var (k, v) in s.Defaults)
                o.WriteLine($"  {k,-34} {v}");
        }
        o.WriteLine();
        o.WriteLine($"Memory: {MemoryEstimate.For(model, ctx, slots)}");
        o.WriteLine($"  available now     {ByteSize.Format(MemoryEstimate.Available())}");
        o.WriteLine();
        if (s.ChatTemplate is null)
            o.WriteLine("Chat template: none in the file");
        else
        {
            o.WriteLine("Chat template:");
            o.WriteLine(s.ChatTemplate);
        }
        return 0;
    }

    private static string Text(long? v) => v?.ToString(CultureInfo.InvariantCulture) ?? "?";

    private static string Text(int? v) => v?.ToString(CultureInfo.InvariantCulture) ?? "?";
}
