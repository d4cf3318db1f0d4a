using System.CommandLine;
using EdgeLM.Cli;

var root = new RootCommand("""
    EdgeLM: a local-first LLM runtime. Reads GGUF models, tokenizes exactly like llama.cpp and runs
    quantized models on the CPU.
    """);
foreach (var command in CommandCatalog.All())
    root.Subcommands.Add(command);

return CliErrors.Run(() => root.Parse(args).Invoke());
