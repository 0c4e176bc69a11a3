using System.Globalization;
using ComIO.Contracts.Replication;

namespace ComIO.ReplicationWorker.Copying;

/// <summary>
/// Turns a source version into the request headers that recreate it on a destination: <see cref="ObjectHeaders"/> go on
/// the PUT or CreateMultipartUpload (content headers, user metadata, tags, object lock), <see cref="ReplicaMarks"/> on
/// the request that commits the version (PUT or CompleteMultipartUpload), <see cref="DeleteMarkerMarks"/> on a DELETE.
/// Pure functions; absent source values produce no header.
/// </summary>
public static class ReplicaHeaderMapping
{
    public const string MetadataPrefix = "x-amz-meta-";

    public static List<KeyValuePair<string, string>> ObjectHeaders(SourceVersion version, IReadOnlyList<KeyValuePair<string, string>> tags)
    {
        var headers = new List<KeyValuePair<string, string>>();
        Add(headers, "Content-Type", version.ContentType);
        Add(headers, "Cache-Control", version.CacheControl);
        Add(headers, "Content-Disposition", version.ContentDisposition);
        Add(headers, "Content-Encoding", version.ContentEncoding);
        Add(headers, "Content-Language", version.ContentLanguage);
        Add(headers, "Expires", version.Expires);
        foreach (var (name, value) in version.Metadata)
        {
            var bare = name.StartsWith(MetadataPrefix, StringComparison.OrdinalIgnoreCase) ? name[MetadataPrefix.Length..] : name;
            headers.Add(new(MetadataPrefix + bare.ToLowerInvariant(), value));
        }

        if (tags.Count > 0)
        {
            headers.Add(new("x-amz-tagging", string.Join('&', tags.Select(t => $"{Uri.EscapeDataString(t.Key)}={Uri.EscapeDataString(t.Value)}"))));
        }

        if (version.ObjectLockMode is { Length: > 0 } mode && version.ObjectLockRetainUntil is { } until)
        {
            headers.Add(new("x-amz-object-lock-mode", mode));
            headers.Add(new("x-amz-object-lock-retain-until-date",
                until.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)));
        }

        Add(headers, "x-amz-object-lock-legal-hold", version.ObjectLockLegalHold);
        Add(headers, "x-amz-server-side-encryption", version.ServerSideEncryption);
        return headers;
    }

    /// <summary>Marks a write as the replica of <paramref name="versionId"/> (ETag quoted, as S3 returns it) from <paramref name="sourceSite"/>.</summary>
    public static List<KeyValuePair<string, string>> ReplicaMarks(string versionId, string etag, string sourceSite) =>
    [
        new(ReplicaHeaders.VersionId, versionId),
        new(ReplicaHeaders.ETag, Quoted(etag)),
        new(ReplicaHeaders.Source, sourceSite),
    ];

    /// <summary>Marks a DELETE as applying the delete marker <paramref name="versionId"/> from <paramref name="sourceSite"/>.</summary>
    public static List<KeyValuePair<string, string>> DeleteMarkerMarks(string versionId, string sourceSite) =>
    [
        new(ReplicaHeaders.VersionId, versionId),
        new(ReplicaHeaders.DeleteMarker, "true"),
        new(ReplicaHeaders.Source, sourceSite),
    ];

    /// <summary><paramref name="etag"/> in double quotes (added when missing).</summary>
    public static string Quoted(string etag) =>
        etag.Length >= 2 && etag[0] == '"' && etag[^1] == '"' ? etag : $"\"{etag.Trim('"')}\"";

    private static void Add(List<KeyValuePair<string, string>> headers, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            headers.Add(new(name, value));
        }
    }
}
