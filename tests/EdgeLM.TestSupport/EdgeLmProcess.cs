using System.Diagnostics;
using System.Text;

namespace EdgeLM.TestSupport;

/// <summary>Result of one run of the real `edgelm` program.</summary>
public sealed record ProcessResult(int ExitCode, string StdOut, string StdErr);

/// <summary>
/// Runs the built `edgelm` program (edgelm.dll, copied next to the test binaries by the project reference)
/// as a separate process, the way a user runs it.
/// </summary>
public static class EdgeLmProcess
{
    public static string DllPath
    {
        get
        {
            string dll = Path.Combine(AppContext.BaseDirectory, "edgelm.dll");
            if (!File.Exists(dll))
                throw new FileNotFoundException("edgelm.dll is not next to the test binaries; reference src/EdgeLM.Cli from the test project", dll);
            return dll;
        }
    }

    public static ProcessResult Run(IEnumerable<string> args, string? stdin = null, int timeoutMs = 120_000,
        IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = new UTF8Encoding(false),
            StandardErrorEncoding = new UTF8Encoding(false),
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
        };
        psi.ArgumentList.Add(DllPath);
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        if (environment is not null)
            foreach (var (k, v) in environment)
                psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            var bytes = new UTF8Encoding(false).GetBytes(stdin);
            p.StandardInput.BaseStream.Write(bytes);
        }
        p.StandardInput.Close();
        if (!p.WaitForExit(timeoutMs))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"edgelm {string.Join(' ', args)} did not finish in {timeoutMs} ms");
        }
        return new ProcessResult(p.ExitCode, stdout.Result, stderr.Result);
    }

    public static ProcessResult Run(params string[] args) => Run((IEnumerable<string>)args);
}
