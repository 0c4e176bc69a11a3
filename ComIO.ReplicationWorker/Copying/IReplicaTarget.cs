namespace ComIO.ReplicationWorker.Copying;

/// <summary>
/// A destination site's S3 endpoint as the copier uses it. <c>headers</c> arguments are HTTP request headers sent as
/// given and covered by the request signature. Every method throws on failure (the caller retries); implementations
/// are thread-safe.
/// </summary>
public interface IReplicaTarget
{
    /// <summary>The destination site's name.</summary>
    string Site { get; }

    /// <summary>True when the destination already has version <paramref name="versionId"/> (an object or a delete marker).</summary>
    Task<bool> HasVersionAsync(string bucket, string key, string versionId, CancellationToken cancellationToken);

    /// <summary>Writes <paramref name="length"/> bytes read forward-only from <paramref name="body"/> in one PUT.</summary>
    Task PutAsync(string bucket, string key, Stream body, long length, IReadOnlyList<KeyValuePair<string, string>> headers, CancellationToken cancellationToken);

    /// <summary>Starts a multipart upload carrying the object's <paramref name="headers"/>; returns its upload id.</summary>
    Task<string> StartMultipartAsync(string bucket, string key, IReadOnlyList<KeyValuePair<string, string>> headers, CancellationToken cancellationToken);

    /// <summary>Uploads part <paramref name="partNumber"/> (1-based) and returns its ETag.</summary>
    Task<string> UploadPartAsync(string bucket, string key, string uploadId, int partNumber, Stream body, long length, CancellationToken cancellationToken);

    /// <summary>Completes the upload from the parts' ETags in part order; <paramref name="headers"/> carry the replica marks.</summary>
    Task CompleteMultipartAsync(string bucket, string key, string uploadId, IReadOnlyList<string> partETags, IReadOnlyList<KeyValuePair<string, string>> headers, CancellationToken cancellationToken);

    /// <summary>Aborts the upload (its parts are freed).</summary>
    Task AbortMultipartAsync(string bucket, string key, string uploadId, CancellationToken cancellationToken);

    /// <summary>Sends <c>DELETE bucket/key</c> with <paramref name="headers"/> (the replica delete-marker marks).</summary>
    Task DeleteAsync(string bucket, string key, IReadOnlyList<KeyValuePair<string, string>> headers, CancellationToken cancellationToken);
}
