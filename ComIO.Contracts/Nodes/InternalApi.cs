namespace ComIO.Contracts.Nodes;

/// <summary>
/// Routes and headers of the storage node's internal HTTP API, used by the API service. Every request carries the
/// cluster secret in <see cref="ClusterSecretHeader"/>; a node refuses requests without it (401).
/// Object keys travel percent-encoded in the <c>key</c> query parameter so the path is never normalised.
/// </summary>
public static class InternalApi
{
    public const string Prefix = "/internal/v1";
    public const string ClusterSecretHeader = "X-ComIO-Cluster-Secret";

    /// <summary>Request header of an object PUT: base64 of the JSON <see cref="PutObjectMetadata"/>.</summary>
    public const string PutMetadataHeader = "X-ComIO-Put-Metadata";

    /// <summary>
    /// Request header of an object DELETE without versionId: base64 of the JSON
    /// <see cref="Replication.ReplicationIntent"/> when the delete marker it creates must be replicated.
    /// </summary>
    public const string ReplicationHeader = "X-ComIO-Replication";

    /// <summary>
    /// Request header of an object DELETE that applies another site's delete marker: base64 of the JSON
    /// <see cref="Replication.ReplicaInfo"/>.
    /// </summary>
    public const string ReplicaHeader = "X-ComIO-Replica";

    /// <summary>
    /// Request header of an object PUT, part PUT or object GET for data encrypted at rest: base64 of the object's 32-byte
    /// data key (unwrapped by the API service; the node uses it for the one request and never stores or logs it).
    /// </summary>
    public const string DataKeyHeader = "X-ComIO-Data-Key";

    /// <summary>
    /// Request header of an object GET sent with <see cref="DataKeyHeader"/>: the wrapped key (system metadata
    /// <see cref="WrappedKeyMetadata"/>) the data key was unwrapped from. When the version found has another one (it was
    /// replaced meanwhile) the node answers 403 EncryptionKeyRequired with the version's info, as without a key.
    /// </summary>
    public const string DataKeyCheckHeader = "X-ComIO-Data-Key-Check";

    /// <summary>Request header of an object PUT with a data key: "true" = store an ETag that is not the plaintext's MD5 (SSE-C, SSE-KMS).</summary>
    public const string OpaqueETagHeader = "X-ComIO-Opaque-ETag";

    /// <summary>System-metadata name of an encrypted object's wrapped data key (written by the API service).</summary>
    public const string WrappedKeyMetadata = "x-comio-sse-key";

    /// <summary>Response header of an object GET: base64 of the JSON <see cref="ObjectInfo"/>.</summary>
    public const string ObjectInfoHeader = "X-ComIO-Object-Info";

    /// <summary>
    /// Bucket-settings stamp (it also moves with every change of a shared system document: users, access keys, KMS
    /// keys). On the response of <see cref="BucketSettings"/> and of a system document read: names the node's state the
    /// answer was read in (taken before reading). On an object GET, info (HEAD), PUT or DELETE request: the stamps of
    /// the settings and of the caller's identity the API service decided with (one value, or two separated by a comma);
    /// the node refuses the request with 409 <see cref="NodeStatus.StaleBucketSettings"/>, before doing anything, unless
    /// every value is its current stamp. This lets the API service keep bucket settings and identities in memory and
    /// still act on the current ones.
    /// </summary>
    public const string SettingsStampHeader = "X-ComIO-Settings-Stamp";

    public static string Buckets() => $"{Prefix}/buckets";

    public static string Bucket(string bucket) => $"{Prefix}/buckets/{Uri.EscapeDataString(bucket)}";

    /// <summary>GET returns every setting of the bucket (JSON object name → text); 404 NoSuchBucket.</summary>
    public static string BucketSettings(string bucket) => $"{Bucket(bucket)}/settings";

    /// <summary>PUT (body = the setting's UTF-8 text) or DELETE one bucket setting on every device of the node.</summary>
    public static string BucketSetting(string bucket, string name) => $"{BucketSettings(bucket)}/{Uri.EscapeDataString(name)}";

    /// <summary>GET lists a namespace's system documents (JSON object id → text).</summary>
    public static string SystemDocuments(string documentNamespace) => $"{Prefix}/documents/{Uri.EscapeDataString(documentNamespace)}";

    /// <summary>GET, PUT (body = UTF-8 text) or DELETE one system document.</summary>
    public static string SystemDocument(string documentNamespace, string id) => $"{SystemDocuments(documentNamespace)}/{Uri.EscapeDataString(id)}";

    /// <summary>PATCH changes entries of an object's system metadata (body = JSON object name → value or null).</summary>
    public static string ObjectSystemMetadata(string bucket, string key) => $"{Prefix}/objects/{Uri.EscapeDataString(bucket)}/system-metadata?key={Uri.EscapeDataString(key)}";

    public static string Object(string bucket, string key) => $"{Prefix}/objects/{Uri.EscapeDataString(bucket)}?key={Uri.EscapeDataString(key)}";

    public static string ObjectInfo(string bucket, string key) => $"{Prefix}/objects/{Uri.EscapeDataString(bucket)}/info?key={Uri.EscapeDataString(key)}";

    /// <summary>PUT replaces the object's tag set (body = <see cref="PutObjectTagsRequest"/>); 204 on success.</summary>
    public static string ObjectTags(string bucket, string key) => $"{Prefix}/objects/{Uri.EscapeDataString(bucket)}/tags?key={Uri.EscapeDataString(key)}";

    /// <summary>
    /// PUT changes the Object Lock state of a version (body = <see cref="ObjectLockChange"/>; with <see cref="WithVersion"/>);
    /// 200 with the version's <see cref="ObjectInfo"/>, 403 ObjectLocked, 404, or 405 for a delete marker.
    /// </summary>
    public static string ObjectLock(string bucket, string key) => $"{Prefix}/objects/{Uri.EscapeDataString(bucket)}/lock?key={Uri.EscapeDataString(key)}";

    /// <summary>
    /// An object DELETE route (<see cref="Object"/>, optionally <see cref="WithVersion"/>) that bypasses GOVERNANCE
    /// retention; only for callers the API service authorized for <c>s3:BypassGovernanceRetention</c>.
    /// </summary>
    public static string WithGovernanceBypass(string objectRoute) => $"{objectRoute}&bypass-governance=true";

    public static string ObjectRange(string bucket, string key, long offset, long length) =>
        $"{Object(bucket, key)}&offset={offset}&length={length}";

    public static string List(string bucket, string? prefix, string? startAfter, int maxKeys, string? systemMetadataKey = null) =>
        $"{Prefix}/list/{Uri.EscapeDataString(bucket)}?max-keys={maxKeys}"
        + (prefix is null ? "" : $"&prefix={Uri.EscapeDataString(prefix)}")
        + (startAfter is null ? "" : $"&start-after={Uri.EscapeDataString(startAfter)}")
        + (systemMetadataKey is null ? "" : $"&{ListMetadataParameter}={Uri.EscapeDataString(systemMetadataKey)}");

    /// <summary>
    /// Query parameter of <see cref="List"/> naming the one system metadata entry the listing's entries carry (the
    /// caller's per-object need, e.g. the ACL for owners). Listing entries carry only what a listing shows — key,
    /// size, ETag, last-modified, checksum algorithm — plus that entry; no user metadata, tags or other system metadata.
    /// </summary>
    public const string ListMetadataParameter = "system-metadata";

    /// <summary>
    /// Adds the <c>versionId</c> query parameter to an object route (<see cref="Object"/>, <see cref="ObjectInfo"/>,
    /// <see cref="ObjectTags"/>); null leaves the route naming the current version. GET/info answer 404 NoSuchVersion for
    /// an unknown version and 405 MethodNotAllowed (with <see cref="ObjectInfoHeader"/>) for a delete marker; without a
    /// version id they answer 404 NoSuchKey with <see cref="ObjectInfoHeader"/> describing the delete marker when the
    /// key's latest version is one. DELETE answers 200 with a <see cref="DeleteObjectOutcome"/>.
    /// </summary>
    public static string WithVersion(string objectRoute, string? versionId) =>
        versionId is null ? objectRoute : $"{objectRoute}&versionId={Uri.EscapeDataString(versionId)}";

    /// <summary>
    /// GET lists versions and delete markers in S3 order after the markers, as a binary version page
    /// (<see cref="ObjectListPageCodec.ReadVersions"/>): what a listing shows plus version id, delete-marker and latest
    /// flags, and the one system metadata entry named by <see cref="ListMetadataParameter"/>.
    /// </summary>
    public static string Versions(string bucket, string? prefix, string? keyMarker, string? versionIdMarker, int maxKeys, string? systemMetadataKey = null) =>
        $"{Prefix}/versions/{Uri.EscapeDataString(bucket)}?max-keys={maxKeys}"
        + (prefix is null ? "" : $"&prefix={Uri.EscapeDataString(prefix)}")
        + (keyMarker is null ? "" : $"&key-marker={Uri.EscapeDataString(keyMarker)}")
        + (versionIdMarker is null ? "" : $"&version-id-marker={Uri.EscapeDataString(versionIdMarker)}")
        + (systemMetadataKey is null ? "" : $"&{ListMetadataParameter}={Uri.EscapeDataString(systemMetadataKey)}");

    public static string Stats() => $"{Prefix}/stats";

    /// <summary>POST (body = <see cref="Replication.ResyncRequest"/>) queues the bucket's versions on the node for replication again.</summary>
    public static string ReplicationResync(string bucket) => $"{Prefix}/replication/resync/{Uri.EscapeDataString(bucket)}";

    /// <summary>POST runs a scrub of every device now and returns a <see cref="ScrubSummary"/>.</summary>
    public static string Scrub() => $"{Prefix}/scrub";

    /// <summary>POST: run a lifecycle scan of every device of the node now (answers <see cref="LifecycleRunSummary"/>).</summary>
    public static string LifecycleRun() => $"{Prefix}/lifecycle/run";

    /// <summary>POST creates an upload of (bucket, key); GET lists the bucket's uploads.</summary>
    public static string Uploads(string bucket) => $"{Prefix}/uploads/{Uri.EscapeDataString(bucket)}";

    public static string CreateUpload(string bucket, string key) => $"{Uploads(bucket)}?key={Uri.EscapeDataString(key)}";

    public static string ListUploads(string bucket, string? prefix, string? keyMarker, string? uploadIdMarker, int maxUploads) =>
        $"{Uploads(bucket)}?max-uploads={maxUploads}"
        + (prefix is null ? "" : $"&prefix={Uri.EscapeDataString(prefix)}")
        + (keyMarker is null ? "" : $"&key-marker={Uri.EscapeDataString(keyMarker)}")
        + (uploadIdMarker is null ? "" : $"&upload-id-marker={Uri.EscapeDataString(uploadIdMarker)}");

    /// <summary>DELETE aborts the upload.</summary>
    public static string Upload(string bucket, string key, string uploadId) =>
        $"{Uploads(bucket)}/{Uri.EscapeDataString(uploadId)}?key={Uri.EscapeDataString(key)}";

    /// <summary>PUT stores a part (body = part data, <see cref="PutMetadataHeader"/> = digests).</summary>
    public static string Part(string bucket, string key, string uploadId, int partNumber) =>
        $"{Uploads(bucket)}/{Uri.EscapeDataString(uploadId)}/parts/{partNumber}?key={Uri.EscapeDataString(key)}";

    public static string ListParts(string bucket, string key, string uploadId, int partNumberMarker, int maxParts) =>
        $"{Uploads(bucket)}/{Uri.EscapeDataString(uploadId)}/parts?key={Uri.EscapeDataString(key)}&part-number-marker={partNumberMarker}&max-parts={maxParts}";

    /// <summary>POST completes the upload (body = <see cref="CompleteMultipartRequest"/>).</summary>
    public static string CompleteUpload(string bucket, string key, string uploadId) =>
        $"{Uploads(bucket)}/{Uri.EscapeDataString(uploadId)}/complete?key={Uri.EscapeDataString(key)}";
}
