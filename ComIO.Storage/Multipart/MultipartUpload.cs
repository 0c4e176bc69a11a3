namespace ComIO.Storage;

/// <summary>
/// An in-progress multipart upload. Immutable. <see cref="UploadId"/> is 32 URL-safe characters (<c>[-0-9A-Z_a-z]</c>)
/// that begin with the initiation time, so ordinal order of upload ids of one key is initiation order.
/// </summary>
public sealed class MultipartUpload
{
    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();

    public required string Bucket { get; init; }

    public required string Key { get; init; }

    public required string UploadId { get; init; }

    /// <summary>Initiation time (millisecond precision; the time encoded in <see cref="UploadId"/>).</summary>
    public required DateTimeOffset Initiated { get; init; }

    public string? ContentType { get; init; }

    public IReadOnlyDictionary<string, string> UserMetadata { get; init; } = Empty;

    public IReadOnlyDictionary<string, string> SystemMetadata { get; init; } = Empty;

    public ChecksumAlgorithm? ChecksumAlgorithm { get; init; }

    /// <summary>Tag set of the object the upload will create (copied to it on completion); empty when untagged.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Tags { get; init; } = ObjectTags.None;

    /// <summary>Object Lock retention the completed object will carry (upload record section <c>'R'</c>), or null.</summary>
    public ObjectRetention? Retention { get; init; }

    /// <summary>Object Lock legal hold the completed object will carry (upload record section <c>'L'</c>).</summary>
    public bool LegalHold { get; init; }
}
