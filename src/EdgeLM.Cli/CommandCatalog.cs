using System.CommandLine;

namespace EdgeLM.Cli;

/// <summary>Every verb of the `edgelm` program, in the order `--help` lists them.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        yield return PullCommand.Create();
        yield return ListCommand.Create();
        yield return ShowCommand.Create();
        yield return RmCommand.Create();
    }
}
