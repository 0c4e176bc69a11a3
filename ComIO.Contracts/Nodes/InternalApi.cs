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

    /// <summary>Response header of an object GET: base64 of the JSON <see cref="ObjectInfo"/>.</summary>
    public const string ObjectInfoHeader = "X-ComIO-Object-Info";

    public static string Buckets() => $"{Prefix}/buckets";

    public static string Bucket(string bucket) => $"{Prefix}/buckets/{Uri.EscapeDataString(bucket)}";

    public static string Object(string bucket, string key) => $"{Prefix}/objects/{Uri.EscapeDataString(bucket)}?key={Uri.EscapeDataString(key)}";

    public static string ObjectInfo(string bucket, string key) => $"{Prefix}/objects/{Uri.EscapeDataString(bucket)}/info?key={Uri.EscapeDataString(key)}";

    public static string ObjectRange(string bucket, string key, long offset, long length) =>
        $"{Object(bucket, key)}&offset={offset}&length={length}";

    public static string List(string bucket, string? prefix, string? startAfter, int maxKeys) =>
        $"{Prefix}/list/{Uri.EscapeDataString(bucket)}?max-keys={maxKeys}"
        + (prefix is null ? "" : $"&prefix={Uri.EscapeDataString(prefix)}")
        + (startAfter is null ? "" : $"&start-after={Uri.EscapeDataString(startAfter)}");

    public static string Stats() => $"{Prefix}/stats";
}
