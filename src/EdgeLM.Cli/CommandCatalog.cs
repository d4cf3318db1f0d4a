using System.CommandLine;
using EdgeLM.Cli.Commands;

namespace EdgeLM.Cli;

/// <summary>Every verb of the `edgelm` program, in the order `--help` lists them.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        yield return RunCommand.Create();
        yield return ChatCommand.Create();
        yield return ScoreCommand.Create();
        yield return BenchCommand.Create();
        yield return TokenizeCommand.Create();
        yield return InspectCommand.Create();
        yield return TemplateCommand.Create();
        yield return SynthCommand.Create();
        yield return ServeCommand.Create();
    }
}
