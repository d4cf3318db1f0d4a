using System.CommandLine;
using EdgeLM.Cli.Commands;

namespace EdgeLM.Cli;

/// <summary>Every verb of the `edgelm` program, in the order `--help` lists them.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        yield return TokenizeCommand.Create();
    }
}
