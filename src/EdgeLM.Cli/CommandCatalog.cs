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
        yield return DuelCommand.Create();
        yield return PullCommand.Create();
        yield return ListCommand.Create();
        yield return ShowCommand.Create();
        yield return RmCommand.Create();
        yield return QuantizeCommand.Create();
        yield return PerplexityCommand.Create();
        yield return ImatrixCommand.Create();
        yield return TokenizeCommand.Create();
        yield return InspectCommand.Create();
        yield return TemplateCommand.Create();
        yield return SynthCommand.Create();
        yield return ServeCommand.Create();
    }
}
