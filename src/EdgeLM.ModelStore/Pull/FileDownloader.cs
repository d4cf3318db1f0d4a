using System.Globalization;
using System.Net;
using System.Security.Cryptography;

namespace EdgeLM.ModelStore;

/// <summary>
/// Downloads one file into the store: under an exclusive lock, into `FILE.partial` (resumed with an HTTP Range
/// request when it exists), hashing as it goes, then verified against the announced SHA-256 and renamed to FILE.
/// A mismatch deletes the partial file; an interruption keeps it for the next attempt.
/// </summary>
internal sealed class FileDownloader(HubHttp http, PullOptions options)
{
    private const int BufferSize = 1 << 20;

    public async Task<DownloadedFile> DownloadAsync(Uri url, string finalPath, CancellationToken ct)
    {
        string name = Path.GetFileName(finalPath);
        Directory.CreateDirectory(Path.GetDirectoryName(finalPath)!);
        using var fileLock = await DownloadLock.AcquireAsync(finalPath + ".lock", options.LockTimeout, options.Log, ct).ConfigureAwait(false);
        if (File.Exists(finalPath))
        {
            // Another puller finished while we waited, or it was pulled before: keep it.
            string? known = ReadSidecar(finalPath);
            fileLock.DeleteFile();
            return new DownloadedFile(finalPath, known ?? "", Verified: false, AlreadyPresent: true, Resumed: false);
        }
        string partial = finalPath + ".partial";
        bool resumed = false;
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                var (hash, announced, wasResumed) = await AttemptAsync(url, partial, name, ct).ConfigureAwait(false);
                resumed |= wasResumed;
                if (announced is not null && announced != hash)
                {
                    File.Delete(partial);
                    throw new PullException($"{name}: SHA-256 mismatch: the server announced {announced} but the downloaded bytes hash to {hash}; the download was deleted");
                }
                if (announced is null)
                    options.Log?.Invoke($"{name}: the server announced no SHA-256; computed {hash} (kept in {name}.sha256)");
                WriteSidecar(finalPath, hash);
                File.Move(partial, finalPath, overwrite: false);
                fileLock.DeleteFile();
                return new DownloadedFile(finalPath, hash, announced is not null, AlreadyPresent: false, resumed);
            }
            catch (DownloadInterruptedException e) when (attempt < options.MaxAttempts)
            {
                resumed = true;
                options.Log?.Invoke($"{name}: {e.Message}; resuming (attempt {attempt + 1} of {options.MaxAttempts})");
            }
            catch (DownloadInterruptedException e)
            {
                throw new PullException($"{name}: {e.Message}; run the same pull again to resume from {partial}");
            }
        }
    }

    private async Task<(string Hash, string? Announced, bool Resumed)> AttemptAsync(Uri url, string partial, string name, CancellationToken ct)
    {
        long offset = File.Exists(partial) ? new FileInfo(partial).Length : 0;
        var hub = await http.GetAsync(url, offset, ct).ConfigureAwait(false);
        try
        {
            var r = hub.Response;
            if (r.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable && offset > 0)
            {
                // The partial file is as long as the remote one or longer (it changed): start over.
                hub.Dispose();
                File.Delete(partial);
                offset = 0;
                hub = await http.GetAsync(url, 0, ct).ConfigureAwait(false);
                r = hub.Response;
            }
            http.ThrowIfFailed(r, url, name);
            long? total;
            if (r.StatusCode == HttpStatusCode.PartialContent)
            {
                var range = r.Content.Headers.ContentRange;
                if (range?.From != offset)
                    throw new PullException($"{name}: asked {hub.FinalUrl} for bytes from {offset} but it sent {range?.ToString() ?? "no Content-Range"}");
                total = range.Length;
            }
            else
            {
                // 200: the server ignored the Range header and sends everything, so the partial bytes go.
                offset = 0;
                total = r.Content.Headers.ContentLength;
            }
            if (offset > 0)
                options.Log?.Invoke($"{name}: resuming at {ByteSize.Format(offset)}" + (total is long t ? $" of {ByteSize.Format(t)}" : ""));

            using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            using var file = new FileStream(partial, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, BufferSize);
            file.SetLength(offset);
            var buffer = new byte[BufferSize];
            await HashExistingAsync(file, offset, sha, buffer, ct).ConfigureAwait(false);
            file.Position = offset;
            long done = offset;
            options.Progress?.Report(new DownloadProgress(name, done, total, false));
            await using (var body = await r.Content.ReadAsStreamAsync(ct).ConfigureAwait(false))
            {
                while (true)
                {
                    int n;
                    try
                    {
                        n = await body.ReadAsync(buffer, ct).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is IOException or HttpRequestException)
                    {
                        await file.FlushAsync(ct).ConfigureAwait(false);
                        throw new DownloadInterruptedException(string.Create(CultureInfo.InvariantCulture,
                            $"the connection broke after {done} of {(total?.ToString(CultureInfo.InvariantCulture) ?? "?")} bytes ({e.Message})"));
                    }
                    if (n == 0)
                        break;
                    await file.WriteAsync(buffer.AsMemory(0, n), ct).ConfigureAwait(false);
                    sha.AppendData(buffer, 0, n);
                    done += n;
                    options.Progress?.Report(new DownloadProgress(name, done, total, false));
                }
            }
            file.Flush(flushToDisk: true);
            if (total is long expected && done != expected)
                throw new DownloadInterruptedException(string.Create(CultureInfo.InvariantCulture, $"the server sent {done} of {expected} bytes"));
            options.Progress?.Report(new DownloadProgress(name, done, total ?? done, true));
            return (Sha256Text.Of(sha.GetHashAndReset()), hub.AnnouncedSha256, offset > 0);
        }
        finally
        {
            hub.Dispose();
        }
    }

    private static async Task HashExistingAsync(FileStream file, long length, IncrementalHash sha, byte[] buffer, CancellationToken ct)
    {
        file.Position = 0;
        long left = length;
        while (left > 0)
        {
            int n = await file.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), ct).ConfigureAwait(false);
            if (n == 0)
                throw new IOException($"{file.Name} ended early while re-reading it to resume");
            sha.AppendData(buffer, 0, n);
            left -= n;
        }
    }

    /// <summary>`FILE.sha256` in sha256sum's format, written to a temporary name and renamed.</summary>
    internal static void WriteSidecar(string finalPath, string hash)
    {
        string sidecar = finalPath + ".sha256";
        string temp = sidecar + ".tmp";
        File.WriteAllText(temp, $"{hash}  {Path.GetFileName(finalPath)}\n");
        File.Move(temp, sidecar, overwrite: true);
    }

    internal static string? ReadSidecar(string finalPath)
    {
        string sidecar = finalPath + ".sha256";
        if (!File.Exists(sidecar))
            return null;
        string text = File.ReadAllText(sidecar).Trim();
        int space = text.IndexOf(' ');
        return Sha256Text.FromETag(space < 0 ? text : text[..space]);
    }

    private sealed class DownloadInterruptedException(string message) : Exception(message);
}
