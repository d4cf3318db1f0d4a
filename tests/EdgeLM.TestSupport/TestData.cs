namespace EdgeLM.TestSupport;

/// <summary>Locates ../shared/testdata from the repository root (the folder holding EdgeLM.slnx).</summary>
public static class TestData
{
    private static readonly Lazy<string> s_repo = new(FindRepo);
    private static readonly Lazy<string> s_root = new(FindRoot);

    /// <summary>The repository root: the nearest ancestor of the test binaries that holds EdgeLM.slnx.</summary>
    public static string RepoRoot => s_repo.Value;

    /// <summary>Absolute path of the shared test data folder.</summary>
    public static string Root => s_root.Value;

    /// <summary>A path inside the shared test data folder.</summary>
    public static string File(params string[] parts) => Path.Combine([Root, .. parts]);

    public static string Models(string file) => Path.Combine(Root, "models", file);

    private static string FindRepo()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null)
        {
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "EdgeLM.slnx")))
                return dir.FullName;
            dir = dir.Parent;
        }
        throw new DirectoryNotFoundException("EdgeLM.slnx not found above " + AppContext.BaseDirectory);
    }

    private static string FindRoot()
    {
        string data = Path.GetFullPath(Path.Combine(s_repo.Value, "..", "shared", "testdata"));
        if (!Directory.Exists(data))
            throw new DirectoryNotFoundException($"EdgeLM test data not found at {data} (expected ../shared/testdata beside the repository)");
        return data;
    }
}
