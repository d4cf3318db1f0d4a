namespace EdgeLM.ModelStore;

/// <summary>
/// An exclusive lock file beside a download (`FILE.lock`), held open with FileShare.None (an flock on Linux, so
/// other processes and other handles in this one are refused). The lock file is deleted only after a success,
/// when the final file exists: a later puller that grabs a stale inode then finds the file and stops.
/// </summary>
internal sealed class DownloadLock : IDisposable
{
    private readonly FileStream _stream;

    private DownloadLock(string path, FileStream stream)
    {
        Path = path;
        _stream = stream;
    }

    public string Path { get; }

    public static async Task<DownloadLock> AcquireAsync(string path, TimeSpan timeout, Action<string>? log, CancellationToken ct)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        bool told = false;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                var fs = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
                return new DownloadLock(path, fs);
            }
            catch (IOException) when (File.Exists(path))
            {
                if (waited.Elapsed >= timeout)
                    throw new PullException($"another pull is downloading {System.IO.Path.GetFileName(path)[..^5]} (lock {path} is held); gave up after {timeout.TotalSeconds:0} s");
                if (!told)
                {
                    log?.Invoke($"another pull is downloading {System.IO.Path.GetFileName(path)[..^5]}; waiting for it to finish");
                    told = true;
                }
                await Task.Delay(200, ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Removes the lock file while still holding it (called after the final file is in place).</summary>
    public void DeleteFile()
    {
        try
        {
            File.Delete(Path);
        }
        catch (IOException)
        {
        }
    }

    public void Dispose() => _stream.Dispose();
}
