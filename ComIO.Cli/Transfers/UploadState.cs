using System.Text.Json.Serialization;

namespace ComIO.Cli.Transfers;

/// <summary>
/// What <c>comio object put</c> needs to continue an interrupted multipart upload: the server's upload id and the part
/// size, plus the identity of the upload (endpoint, bucket, key, the local file's full path, size and modification time)
/// so a changed local file is never completed with parts of its older content.
/// </summary>
public sealed record UploadState(
    int Version,
    string Endpoint,
    string Bucket,
    string Key,
    string File,
    long Size,
    long ModifiedUtcTicks,
    string UploadId,
    long PartSize,
    DateTime CreatedUtc)
{
    public const int CurrentVersion = 1;

    /// <summary>Number of parts of <see cref="Size"/> bytes in parts of <see cref="PartSize"/>.</summary>
    [JsonIgnore]
    public int PartCount => (int)((Size + PartSize - 1) / PartSize);

    /// <summary>Byte length of part <paramref name="partNumber"/> (1-based; the last part may be shorter).</summary>
    public long PartLength(int partNumber) => Math.Min(PartSize, Size - ((partNumber - 1) * PartSize));

    /// <summary>True when <paramref name="other"/> is the same upload target and local file path (whatever its content).</summary>
    public bool SameTarget(UploadState other) =>
        Endpoint == other.Endpoint && Bucket == other.Bucket && Key == other.Key && File == other.File;
}
