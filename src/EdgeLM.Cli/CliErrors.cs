using EdgeLM.Gguf;

namespace EdgeLM.Cli;

/// <summary>
/// Turns failures into one line on stderr and a non-zero exit code: a user never sees a stack trace.
/// Exceptions of ours (bad files, bad arguments) exit with 1; anything unexpected exits with 70 (EX_SOFTWARE).
/// </summary>
public static class CliErrors
{
    public static int Run(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception e)
        {
            return Report(e);
        }
    }

    public static async Task<int> RunAsync(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception e)
        {
            return Report(e);
        }
    }

    public static int Report(Exception e)
    {
        if (e is AggregateException { InnerExceptions.Count: 1 } agg)
            e = agg.InnerExceptions[0];
        bool expected = e is GgufFormatException or GgufMetadataException or FileNotFoundException or DirectoryNotFoundException
            or UnauthorizedAccessException or IOException or ArgumentException or FormatException or NotSupportedException
            or InvalidDataException or KeyNotFoundException or UserFacingException or OperationCanceledException;
        Console.Error.WriteLine($"error: {e.Message}");
        return expected ? 1 : 70;
    }
}

/// <summary>An error whose message is meant for the user as it is (bad argument values, limits).</summary>
public sealed class UserFacingException(string message) : Exception(message);
