namespace ComIO.Storage;

/// <summary>Parameters of <see cref="StorageEngine.CreateMultipartUploadAsync"/>. Immutable.</summary>
public sealed class CreateUploadRequest
{
    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();

    public required string Bucket { get; init; }

    public required string Key { get; init; }

    /// <summary>Content type of the object the upload will create.</summary>
    public string? ContentType { get; init; }

    /// <summary>x-amz-meta-* names without the prefix, lower-case; copied to the completed object.</summary>
    public IReadOnlyDictionary<string, string> UserMetadata { get; init; } = Empty;

    /// <summary>content-encoding, content-disposition, cache-control, content-language, expires: stored verbatim.</summary>
    public IReadOnlyDictionary<string, string> SystemMetadata { get; init; } = Empty;

    /// <summary>
    /// Tag set of the object the upload will create (copied to it on completion) (S3 object tagging), stored in this order. Must satisfy <see cref="ObjectTags"/>'s
    /// limits (at most 10 tags, unique keys, key 1–128 and value 0–256 characters); otherwise the engine throws
    /// <see cref="ArgumentException"/>.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> Tags { get; init; } = ObjectTags.None;

    /// <summary>Checksum computed for every part that does not name its own algorithm.</summary>
    public ChecksumAlgorithm? ChecksumAlgorithm { get; init; }

    /// <summary>Object Lock retention the completed object will carry (upload record section <c>'R'</c>), or null.</summary>
    public ObjectRetention? Retention { get; init; }

    /// <summary>Object Lock legal hold the completed object will carry (upload record section <c>'L'</c>).</summary>
    public bool LegalHold { get; init; }
}
