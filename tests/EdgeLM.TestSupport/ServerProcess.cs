using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;

namespace EdgeLM.TestSupport;

/// <summary>
/// A real `edgelm serve` process on a free loopback port (--port 0), found ready by the "listening on URL" line it
/// prints on stdout. Stderr (the request log) is kept for failure messages. Disposing kills the process.
/// </summary>
public sealed class ServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();

    public ServerProcess(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = new UTF8Encoding(false),
        };
        psi.ArgumentList.Add(EdgeLmProcess.DllPath);
        psi.ArgumentList.Add("serve");
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        _process = Process.Start(psi)!;
        _process.ErrorDataReceived += (_, e) => { lock (_stderr) _stderr.AppendLine(e.Data); };
        _process.BeginErrorReadLine();
        var line = _process.StandardOutput.ReadLineAsync();
        if (!line.Wait(TimeSpan.FromSeconds(90)) || line.Result is not { } text || !text.StartsWith("listening on ", StringComparison.Ordinal))
        {
            Kill();
            throw new InvalidOperationException($"edgelm serve did not start: {line.Status} {(line.IsCompletedSuccessfully ? line.Result : "")}\n{StdErr}");
        }
        Url = text["listening on ".Length..].Trim();
    }

    public string Url { get; }

    /// <summary>Sends SIGTERM (as `kill` and service managers do) and waits; returns the exit code, or null if still running.</summary>
    public int? Terminate(int timeoutMs = 20_000)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            kill.WaitForExit();
        if (!_process.WaitForExit(timeoutMs))
            return null;
        _process.WaitForExit(); // drains the redirected output before StdErr is read
        return _process.ExitCode;
    }

    public string StdErr
    {
        get { lock (_stderr) return _stderr.ToString(); }
    }

    public HttpClient Client(string? apiKey)
    {
        var client = new HttpClient { BaseAddress = new Uri(Url), Timeout = TimeSpan.FromSeconds(120) };
        if (apiKey is not null)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
