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
// so async verbs run on the thread pool. System.CommandLine's own Ctrl+C handling is off: `chat` uses Ctrl+C to stop a
// reply (not the program) and `serve` stops itself on SIGINT/SIGTERM.
return await CliErrors.RunAsync(() => root.Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null }));
