namespace EdgeLM.ModelStore;

/// <summary>How far one file's download is: bytes on disk so far (resumed bytes included) of the total, when known.</summary>
public readonly record struct DownloadProgress(string FileName, long Downloaded, long? Total, bool Finished);
