using System.CommandLine;
using EdgeLM.Cli;

var root = new RootCommand($"""
    EdgeLM: a local-first LLM runtime. Reads GGUF models, tokenizes exactly like llama.cpp and runs
    quantized models on the CPU. Without -m, run/score/bench use the built-in model edgelm-tiny
    (Q4_K_M, shipped next to this program in models/{ModelLocator.BuiltInFileName}).
    """);
EdgeLM.Cli.Commands.TemplateCommand.ModelTemplateReader = path =>
{
    using var file = EdgeLM.Gguf.GgufFile.Open(ModelLocator.Resolve(path));
    return file.Metadata.GetStringOrNull("tokenizer.chat_template");
};
foreach (var command in CommandCatalog.All())
    root.Subcommands.Add(command);

// Our own handler turns every failure into one "error: ..." line (never a stack trace). InvokeAsync (not Invoke)
// so that Ctrl+C and SIGTERM cancel the token async verbs such as `serve` wait on.
return await CliErrors.RunAsync(() => root.Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }));
