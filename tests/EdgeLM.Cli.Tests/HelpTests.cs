using EdgeLM.TestSupport;

namespace EdgeLM.Cli.Tests;

public sealed class HelpTests
{
    [Fact]
    public void Help_describes_the_program_and_exits_zero()
    {
        var r = EdgeLmProcess.Run("--help");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("EdgeLM", r.StdOut);
    }

    [Fact]
    public void Unknown_verb_fails_without_a_stack_trace()
    {
        var r = EdgeLmProcess.Run("no-such-verb");
        Assert.NotEqual(0, r.ExitCode);
        Assert.DoesNotContain("   at ", r.StdErr + r.StdOut);
    }
}
