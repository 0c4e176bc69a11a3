using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Serialization.Metadata;
using ComIO.ApiService.Placement;
using ComIO.Contracts.Nodes;

namespace ComIO.ApiService.Nodes;

/// <summary>
/// Typed client of the storage nodes' internal API. Thread-safe; one instance serves all nodes (the node's base
/// address is resolved by service discovery). Bodies stream in both directions; object calls are never retried here
/// because a body cannot be replayed.
/// </summary>
public sealed class StorageNodeClient(HttpClient http)
{
    public const string HttpClientName = "storage-nodes";

    public Task<NodeResult<List<BucketInfo>>> ListBucketsAsync(StorageNodeInfo node, CancellationToken ct) =>
        SendAsync(node, HttpMethod.Get, InternalApi.Buckets(), ContractsJsonContext.Default.ListBucketInfo, ct);

    public Task<NodeResult<BucketInfo>> GetBucketAsync(StorageNodeInfo node, string bucket, CancellationToken ct) =>
        SendAsync(node, HttpMethod.Get, InternalApi.Bucket(bucket), ContractsJsonContext.Default.BucketInfo, ct);

    /// <summary>Creates the bucket on the node with its initial settings (committed atomically with the bucket record).</summary>
    public Task<NodeResult<bool>> CreateBucketAsync(StorageNodeInfo node, string bucket, Dictionary<string, string> settings, CancellationToken ct)
    {
        // A byte array (not JsonContent, which streams without Content-Length): the node reads the settings by length.
        var content = new ByteArrayContent(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(settings, ContractsJsonContext.Default.DictionaryStringString));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Put, new Uri(node.BaseAddress, InternalApi.Bucket(bucket))) { Content = content };
        return SendAsync<bool>(request, null, ct);
    }

    public Task<NodeResult<Dictionary<string, string>>> GetBucketSettingsAsync(StorageNodeInfo node, string bucket, CancellationToken ct) =>
        SendAsync(node, HttpMethod.Get, InternalApi.BucketSettings(bucket), ContractsJsonContext.Default.DictionaryStringString, ct);

    /// <summary>The bucket's settings and the node's settings stamp they were read under (see <see cref="InternalApi.SettingsStampHeader"/>).</summary>
    public async Task<(NodeResult<Dictionary<string, string>> Result, string? Stamp)> GetStampedBucketSettingsAsync(StorageNodeInfo node, string bucket, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(node.BaseAddress, InternalApi.BucketSettings(bucket)));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        return (await ReadResultAsync(response, ContractsJsonContext.Default.DictionaryStringString, ct), HeaderValue(response, InternalApi.SettingsStampHeader));
    }

    /// <summary>Writes (text) or removes (null) one bucket setting on the node; succeeds once durable there.</summary>
    public Task<NodeResult<bool>> SetBucketSettingAsync(StorageNodeInfo node, string bucket, string name, string? text, CancellationToken ct) =>
        SendDocumentAsync(node, InternalApi.BucketSetting(bucket, name), text, ct);

    public Task<NodeResult<Dictionary<string, string>>> ListSystemDocumentsAsync(StorageNodeInfo node, string documentNamespace, CancellationToken ct) =>
        SendAsync(node, HttpMethod.Get, InternalApi.SystemDocuments(documentNamespace), ContractsJsonContext.Default.DictionaryStringString, ct);

    /// <summary>One system document's text, or a NoSuchKey error.</summary>
    public async Task<NodeResult<string>> GetSystemDocumentAsync(StorageNodeInfo node, string documentNamespace, string id, CancellationToken ct) =>
        (await GetStampedSystemDocumentAsync(node, documentNamespace, id, ct)).Result;

    /// <summary>One system document's text (or a NoSuchKey error) and the node's settings stamp it was read under.</summary>
    public async Task<(NodeResult<string> Result, string? Stamp)> GetStampedSystemDocumentAsync(StorageNodeInfo node, string documentNamespace, string id, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(node.BaseAddress, InternalApi.SystemDocument(documentNamespace, id)));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        var result = response.IsSuccessStatusCode
            ? new NodeResult<string>(await response.Content.ReadAsStringAsync(ct), null, (int)response.StatusCode)
            : new NodeResult<string>(null, await ReadErrorAsync(response, ct), (int)response.StatusCode);
        return (result, HeaderValue(response, InternalApi.SettingsStampHeader));
    }

    /// <summary>Writes (text) or removes (null) one system document on the node; succeeds once durable there.</summary>
    public Task<NodeResult<bool>> SetSystemDocumentAsync(StorageNodeInfo node, string documentNamespace, string id, string? text, CancellationToken ct) =>
        SendDocumentAsync(node, InternalApi.SystemDocument(documentNamespace, id), text, ct);

    /// <summary>
    /// Changes entries of an object's system metadata on its owning node (null value = remove): of the current version,
    /// or of the version <paramref name="versionId"/> names.
    /// </summary>
    public Task<NodeResult<bool>> SetObjectSystemMetadataAsync(StorageNodeInfo node, string bucket, string key, Dictionary<string, string?> changes, CancellationToken ct, string? versionId = null)
    {
        var route = InternalApi.WithVersion(InternalApi.ObjectSystemMetadata(bucket, key), versionId);
        var request = new HttpRequestMessage(HttpMethod.Patch, new Uri(node.BaseAddress, route))
        {
            Content = JsonContent.Create(changes, ContractsJsonContext.Default.DictionaryStringString),
        };
        return SendAsync<bool>(request, null, ct);
    }

    private Task<NodeResult<bool>> SendDocumentAsync(StorageNodeInfo node, string path, string? text, CancellationToken ct)
    {
        var request = new HttpRequestMessage(text is null ? HttpMethod.Delete : HttpMethod.Put, new Uri(node.BaseAddress, path));
        if (text is not null)
        {
            request.Content = new StringContent(text, System.Text.Encoding.UTF8, "application/octet-stream");
        }

        return SendAsync<bool>(request, null, ct);
    }

    public Task<NodeResult<bool>> DeleteBucketAsync(StorageNodeInfo node, string bucket, CancellationToken ct) =>
        SendAsync<bool>(node, HttpMethod.Delete, InternalApi.Bucket(bucket), null, ct);

    public Task<NodeResult<ObjectInfo>> GetObjectInfoAsync(StorageNodeInfo node, string bucket, string key, CancellationToken ct) =>
        SendAsync(node, HttpMethod.Get, InternalApi.ObjectInfo(bucket, key), ContractsJsonContext.Default.ObjectInfo, ct);

    /// <summary>
    /// Metadata of one version (null = current) plus, when there is no such data version, the delete marker the node
    /// reported (the latest version for NoSuchKey, the named one for MethodNotAllowed).
    /// </summary>
    /// <remarks>With <paramref name="stamp"/> the node answers only if the bucket's settings are still those of the stamp.</remarks>
    public async Task<(NodeResult<ObjectInfo> Result, ObjectInfo? DeleteMarker)> GetObjectVersionInfoAsync(StorageNodeInfo node, string bucket, string key, string? versionId, CancellationToken ct, Buckets.SettingsStamp? stamp = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(node.BaseAddress, InternalApi.WithVersion(InternalApi.ObjectInfo(bucket, key), versionId)));
        AddStamp(request, stamp);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        var marker = HeaderJson.Decode(HeaderValue(response, InternalApi.ObjectInfoHeader), ContractsJsonContext.Default.ObjectInfo);
        return (Confirm(stamp, await ReadResultAsync(response, ContractsJsonContext.Default.ObjectInfo, ct)), marker);
    }

    /// <summary>
    /// Versions and delete markers of the node's keys in S3 order after the markers (see <see cref="InternalApi.Versions"/>):
    /// what a version listing shows, plus <paramref name="systemMetadataKey"/>, read in the binary page form.
    /// </summary>
    public Task<NodeResult<ObjectVersionListPage>> ListVersionsAsync(StorageNodeInfo node, string bucket, string? prefix, string? keyMarker, string? versionIdMarker, int maxKeys,
        CancellationToken ct, string? systemMetadataKey = null) =>
        GetListPageAsync(node, InternalApi.Versions(bucket, prefix, keyMarker, versionIdMarker, maxKeys, systemMetadataKey), body => ObjectListPageCodec.ReadVersions(bucket, body), ct);

    /// <summary>Replaces the object's tag set on its owning node (empty removes all tags); succeeds once durable there.</summary>
    public Task<NodeResult<bool>> PutObjectTagsAsync(StorageNodeInfo node, string bucket, string key, List<ObjectTag> tags, CancellationToken ct, string? versionId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, new Uri(node.BaseAddress, InternalApi.WithVersion(InternalApi.ObjectTags(bucket, key), versionId)))
        {
            Content = JsonContent.Create(new PutObjectTagsRequest(tags), ContractsJsonContext.Default.PutObjectTagsRequest),
        };
        return SendAsync<bool>(request, null, ct);
    }

    /// <summary>
    /// Deletes the current version (unversioned bucket), adds a delete marker (versioned bucket), or with
    /// <paramref name="versionId"/> removes exactly that version; the outcome says which version was created or removed.
    /// </summary>
    /// With <paramref name="bypassGovernance"/> (only for callers authorized for <c>s3:BypassGovernanceRetention</c>) an
    /// active GOVERNANCE retention does not protect the version; a locked version fails with ObjectLocked.
    /// <paramref name="replication"/> (no version id) makes the delete marker replicated; <paramref name="replica"/> applies
    /// another site's delete marker instead.
    public async Task<NodeResult<DeleteObjectOutcome>> DeleteObjectAsync(StorageNodeInfo node, string bucket, string key, CancellationToken ct, string? versionId = null, bool bypassGovernance = false,
        ComIO.Contracts.Replication.ReplicationIntent? replication = null, ComIO.Contracts.Replication.ReplicaInfo? replica = null, Buckets.SettingsStamp? stamp = null)
    {
        var route = InternalApi.WithVersion(InternalApi.Object(bucket, key), versionId);
        var request = new HttpRequestMessage(HttpMethod.Delete, new Uri(node.BaseAddress, bypassGovernance ? InternalApi.WithGovernanceBypass(route) : route));
        if (replication is not null)
        {
            request.Headers.Add(InternalApi.ReplicationHeader, HeaderJson.Encode(replication, ContractsJsonContext.Default.ReplicationIntent));
        }

        if (replica is not null)
        {
            request.Headers.Add(InternalApi.ReplicaHeader, HeaderJson.Encode(replica, ContractsJsonContext.Default.ReplicaInfo));
        }

        AddStamp(request, stamp);
        return Confirm(stamp, await SendAsync(request, ContractsJsonContext.Default.DeleteObjectOutcome, ct));
    }

    /// <summary>Queues the bucket's versions held by <paramref name="node"/> for replication again (see <see cref="ComIO.Contracts.Replication.ResyncRequest"/>).</summary>
    public Task<NodeResult<ComIO.Contracts.Replication.ResyncResult>> ResyncAsync(StorageNodeInfo node, string bucket, ComIO.Contracts.Replication.ResyncRequest resync, CancellationToken ct)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(node.BaseAddress, InternalApi.ReplicationResync(bucket)))
        {
            Content = JsonContent.Create(resync, ContractsJsonContext.Default.ResyncRequest),
        };
        return SendAsync(request, ContractsJsonContext.Default.ResyncResult, ct);
    }

    /// <summary>Changes the Object Lock state of one version (null = current) on its owning node; answers the version's new info.</summary>
    public Task<NodeResult<ObjectInfo>> SetObjectLockAsync(StorageNodeInfo node, string bucket, string key, string? versionId, ObjectLockChange change, CancellationToken ct)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, new Uri(node.BaseAddress, InternalApi.WithVersion(InternalApi.ObjectLock(bucket, key), versionId)))
        {
            Content = JsonContent.Create(change, ContractsJsonContext.Default.ObjectLockChange),
        };
        return SendAsync(request, ContractsJsonContext.Default.ObjectInfo, ct);
    }

    /// <summary>
    /// The node's first <paramref name="maxKeys"/> keys after <paramref name="startAfter"/> (see <see cref="InternalApi.List"/>):
    /// only what a listing shows, plus <paramref name="systemMetadataKey"/>, read in the binary page form (<see cref="ObjectListPageCodec"/>).
    /// </summary>
    public Task<NodeResult<ObjectListPage>> ListAsync(StorageNodeInfo node, string bucket, string? prefix, string? startAfter, int maxKeys, CancellationToken ct, string? systemMetadataKey = null) =>
        GetListPageAsync(node, InternalApi.List(bucket, prefix, startAfter, maxKeys, systemMetadataKey), body => ObjectListPageCodec.Read(bucket, body), ct);

    /// <summary>GETs a listing route and decodes its binary page (read whole into a pooled buffer), or the node's error.</summary>
    private async Task<NodeResult<TPage>> GetListPageAsync<TPage>(StorageNodeInfo node, string route, BufferedBody.Decoder<TPage> decode, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(node.BaseAddress, route));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (!response.IsSuccessStatusCode)
        {
            return new NodeResult<TPage>(default, await ReadErrorAsync(response, ct), (int)response.StatusCode);
        }

        var page = await BufferedBody.ReadAsync(response.Content, decode, ct);
        return new NodeResult<TPage>(page, null, (int)response.StatusCode);
    }

    public Task<NodeResult<MultipartUploadInfo>> CreateUploadAsync(StorageNodeInfo node, string bucket, string key, PutObjectMetadata metadata, CancellationToken ct)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(node.BaseAddress, InternalApi.CreateUpload(bucket, key)));
        request.Headers.TryAddWithoutValidation(InternalApi.PutMetadataHeader, HeaderJson.Encode(metadata, ContractsJsonContext.Default.PutObjectMetadata));
        return SendAsync(request, ContractsJsonContext.Default.MultipartUploadInfo, ct);
    }

    /// <summary>Streams one part (exactly <paramref name="length"/> bytes) to the node that owns the upload's key.</summary>
    public async Task<NodeResult<PartInfo>> PutPartAsync(StorageNodeInfo node, string bucket, string key, string uploadId, int partNumber, long length, PutObjectMetadata digests, Stream body, CancellationToken ct, byte[]? dataKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(node.BaseAddress, InternalApi.Part(bucket, key, uploadId, partNumber)));
        AddDataKey(request, dataKey);
        request.Content = new StreamContent(body, 128 * 1024);
        request.Content.Headers.ContentLength = length;
        request.Headers.TryAddWithoutValidation(InternalApi.PutMetadataHeader, HeaderJson.Encode(digests, ContractsJsonContext.Default.PutObjectMetadata));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        return await ReadResultAsync(response, ContractsJsonContext.Default.PartInfo, ct);
    }

    public Task<NodeResult<ObjectInfo>> CompleteUploadAsync(StorageNodeInfo node, string bucket, string key, string uploadId, CompleteMultipartRequest parts, CancellationToken ct)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(node.BaseAddress, InternalApi.CompleteUpload(bucket, key, uploadId)))
        {
            Content = JsonContent.Create(parts, ContractsJsonContext.Default.CompleteMultipartRequest),
        };
        return SendAsync(request, ContractsJsonContext.Default.ObjectInfo, ct);
    }

    public Task<NodeResult<bool>> AbortUploadAsync(StorageNodeInfo node, string bucket, string key, string uploadId, CancellationToken ct) =>
        SendAsync<bool>(node, HttpMethod.Delete, InternalApi.Upload(bucket, key, uploadId), null, ct);

    public Task<NodeResult<PartListPage>> ListPartsAsync(StorageNodeInfo node, string bucket, string key, string uploadId, int partNumberMarker, int maxParts, CancellationToken ct) =>
        SendAsync(node, HttpMethod.Get, InternalApi.ListParts(bucket, key, uploadId, partNumberMarker, maxParts), ContractsJsonContext.Default.PartListPage, ct);

    public Task<NodeResult<UploadListPage>> ListUploadsAsync(StorageNodeInfo node, string bucket, string? prefix, string? keyMarker, string? uploadIdMarker, int maxUploads, CancellationToken ct) =>
        SendAsync(node, HttpMethod.Get, InternalApi.ListUploads(bucket, prefix, keyMarker, uploadIdMarker, maxUploads), ContractsJsonContext.Default.UploadListPage, ct);

    /// <summary>
    /// Streams <paramref name="body"/> (exactly <paramref name="length"/> bytes) to the node; completes when the object is
    /// durable there. The answer names the write only: version id, ETag, last-modified, size and full-object checksum.
    /// </summary>
    /// <remarks>With <paramref name="dataKey"/> the node encrypts the data at rest under it (see <see cref="InternalApi.DataKeyHeader"/>).</remarks>
    public async Task<NodeResult<ObjectInfo>> PutObjectAsync(StorageNodeInfo node, string bucket, string key, long length, PutObjectMetadata metadata, Stream body, CancellationToken ct, byte[]? dataKey = null, bool opaqueETag = false,
        Buckets.SettingsStamp? stamp = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(node.BaseAddress, InternalApi.Object(bucket, key)));
        AddDataKey(request, dataKey);
        AddStamp(request, stamp);
        if (opaqueETag)
        {
            request.Headers.TryAddWithoutValidation(InternalApi.OpaqueETagHeader, "true");
        }

        request.Content = new StreamContent(body, 128 * 1024);
        request.Content.Headers.ContentLength = length;
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        request.Headers.TryAddWithoutValidation(InternalApi.PutMetadataHeader, HeaderJson.Encode(metadata, ContractsJsonContext.Default.PutObjectMetadata));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        return Confirm(stamp, await ReadResultAsync(response, ContractsJsonContext.Default.ObjectInfo, ct));
    }

    /// <summary>
    /// Opens an object for streaming: all of it, the range named by an HTTP Range value, or one part of a multipart
    /// object (<paramref name="partNumber"/>, which takes precedence over the range).
    /// </summary>
    /// <remarks>An object encrypted at rest needs its <paramref name="dataKey"/> (403 EncryptionKeyRequired without it).</remarks>
    public async Task<NodeObjectResponse> GetObjectAsync(StorageNodeInfo node, string bucket, string key, string? range, CancellationToken ct, int? partNumber = null, string? versionId = null, byte[]? dataKey = null, string? dataKeyCheck = null,
        Buckets.SettingsStamp? stamp = null)
    {
        var path = InternalApi.WithVersion(InternalApi.Object(bucket, key), versionId)
            + (string.IsNullOrEmpty(range) ? "" : "&range=" + Uri.EscapeDataString(range))
            + (partNumber is { } part ? $"&part-number={part}" : "");
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(node.BaseAddress, path));
        AddDataKey(request, dataKey);
        AddStamp(request, stamp);
        if (dataKeyCheck is not null)
        {
            request.Headers.TryAddWithoutValidation(InternalApi.DataKeyCheckHeader, dataKeyCheck);
        }

        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        try
        {
            var info = HeaderJson.Decode(HeaderValue(response, InternalApi.ObjectInfoHeader), ContractsJsonContext.Default.ObjectInfo);
            if (response.IsSuccessStatusCode)
            {
                ConfirmOrThrow(stamp, null);
                var content = await response.Content.ReadAsStreamAsync(ct);
                return new NodeObjectResponse(response, info, null, content, HeaderValue(response, "X-ComIO-Content-Range"));
            }

            var error = await ReadErrorAsync(response, ct);
            ConfirmOrThrow(stamp, error);
            return new NodeObjectResponse(response, info, error, null, null);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private Task<NodeResult<T>> SendAsync<T>(StorageNodeInfo node, HttpMethod method, string path, JsonTypeInfo<T>? type, CancellationToken ct) =>
        SendAsync(new HttpRequestMessage(method, new Uri(node.BaseAddress, path)), type, ct);

    /// <summary>Sends a request without a streamed body (disposing it) and reads the JSON result or the node's error.</summary>
    private async Task<NodeResult<T>> SendAsync<T>(HttpRequestMessage request, JsonTypeInfo<T>? type, CancellationToken ct)
    {
        using (request)
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            return await ReadResultAsync(response, type, ct);
        }
    }

    private static async Task<NodeResult<T>> ReadResultAsync<T>(HttpResponseMessage response, JsonTypeInfo<T>? type, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode)
        {
            return new NodeResult<T>(default, await ReadErrorAsync(response, ct), (int)response.StatusCode);
        }

        if (type is null)
        {
            return new NodeResult<T>(default, null, (int)response.StatusCode);
        }

        var value = await response.Content.ReadFromJsonAsync(type, ct);
        return new NodeResult<T>(value, null, (int)response.StatusCode);
    }

    private static async Task<NodeError> ReadErrorAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync(ContractsJsonContext.Default.NodeError, ct)
                ?? new NodeError("Unknown", $"HTTP {(int)response.StatusCode}");
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or NotSupportedException or InvalidOperationException)
        {
            return new NodeError("Unknown", $"HTTP {(int)response.StatusCode} without an error body");
        }
    }

    private static void AddStamp(HttpRequestMessage request, Buckets.SettingsStamp? stamp)
    {
        if (stamp is not null)
        {
            request.Headers.TryAddWithoutValidation(InternalApi.SettingsStampHeader, stamp.HeaderValue);
        }
    }

    /// <summary>Marks the stamp confirmed by the node's answer, or throws <see cref="Buckets.StaleBucketSettingsException"/> when the node refused it.</summary>
    private static NodeResult<T> Confirm<T>(Buckets.SettingsStamp? stamp, NodeResult<T> result)
    {
        ConfirmOrThrow(stamp, result.Error);
        return result;
    }

    private static void ConfirmOrThrow(Buckets.SettingsStamp? stamp, NodeError? error)
    {
        if (stamp is null)
        {
            return;
        }

        if (error?.Status == NodeStatus.StaleBucketSettings)
        {
            throw new Buckets.StaleBucketSettingsException();
        }

        stamp.Confirmed = true;
    }

    private static void AddDataKey(HttpRequestMessage request, byte[]? dataKey)
    {
        if (dataKey is not null)
        {
            request.Headers.TryAddWithoutValidation(InternalApi.DataKeyHeader, Convert.ToBase64String(dataKey));
        }
    }

    private static string? HeaderValue(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
