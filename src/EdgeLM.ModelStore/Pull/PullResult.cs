namespace EdgeLM.ModelStore;

/// <summary>A finished pull: the stored model and, per file, its SHA-256 and whether the server announced it.</summary>
public sealed record PullResult(StoredModel Model, IReadOnlyList<DownloadedFile> Files);

/// <summary>One file of a pull. <see cref="Verified"/>: the computed hash equals the one the server announced.</summary>
public sealed record DownloadedFile(string Path, string Sha256, bool Verified, bool AlreadyPresent, bool Resumed);
