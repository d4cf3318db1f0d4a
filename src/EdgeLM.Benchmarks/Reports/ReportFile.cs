namespace EdgeLM.Benchmarks.Reports;

/// <summary>Writes a report file atomically: a temporary sibling, then a rename, so no half-written report is left.</summary>
public static class ReportFile
{
    public static void Write(string path, string content)
    {
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(dir))
            throw new DirectoryNotFoundException($"cannot write {path}: folder {dir} does not exist");
        string temp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            File.WriteAllText(temp, content, new System.Text.UTF8Encoding(false));
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
                File.Delete(temp);
        }
    }
}
