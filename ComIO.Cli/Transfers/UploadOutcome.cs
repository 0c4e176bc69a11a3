namespace ComIO.Cli.Transfers;

/// <summary>Result of a <see cref="ResumableUpload"/>: the object's size and ETag, its part count, the parts found already
/// uploaded by an earlier run, and the parts this run sent.</summary>
public sealed record UploadOutcome(long Size, string ETag, int Parts, int ResumedParts, int UploadedParts);
