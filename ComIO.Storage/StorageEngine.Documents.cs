using ComIO.Storage.Metadata;

namespace ComIO.Storage;

/// <summary>
/// Small documents kept in the metadata store next to the objects: bucket settings (policy, ACL, CORS, ownership, …;
/// opaque bytes named by the caller, removed with their bucket) and system documents (users, access keys; grouped by a
/// namespace). Every write is one synced batch through the group committer: durable when it completes with Ok.
/// </summary>
public sealed partial class StorageEngine
{
    /// <summary>Largest document the engine stores (a bucket policy is at most 20 KiB on S3; leave room).</summary>
    public const int MaxDocumentBytes = 256 * 1024;

    /// <summary>
    /// Creates a bucket together with its initial settings (e.g. its owner and ACL) in one atomic commit.
    /// Status: Ok or BucketAlreadyExists.
    /// </summary>
    public Task<EngineStatus> CreateBucketAsync(string bucket, IReadOnlyDictionary<string, byte[]> settings, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ValidateBucketName(bucket);
        foreach (var (name, payload) in settings)
        {
            ValidateDocument(name, payload);
            if (name == VersioningSettingName && !TryParseVersioning(payload, out _))
            {
                throw new ArgumentException("The versioning setting must be \"Enabled\" or \"Suspended\".", nameof(settings));
            }
        }

        ct.ThrowIfCancellationRequested();
        ThrowIfDisposed();
        if (_buckets.ContainsKey(bucket))
        {
            return Task.FromResult(EngineStatus.BucketAlreadyExists);
        }

        var record = new BucketRecord { Name = bucket, CreatedAt = _options.TimeProvider.GetUtcNow() };
        return _committer.SubmitAsync(new BucketCommit(bucket, record, new Dictionary<string, byte[]>(settings, StringComparer.Ordinal)));
    }

    /// <summary>
    /// Writes (or with a null <paramref name="payload"/> removes) one setting of a bucket. Status: Ok or NoSuchBucket.
    /// The setting <see cref="VersioningSettingName"/> is interpreted: its payload must be "Enabled" or "Suspended" (it
    /// cannot be removed) and it goes through <see cref="SetVersioningAsync"/>.
    /// </summary>
    public Task<EngineStatus> SetBucketSettingAsync(string bucket, string name, byte[]? payload, CancellationToken ct = default)
    {
        ValidateBucketName(bucket);
        ValidateDocument(name, payload);
        if (name == VersioningSettingName)
        {
            return payload is not null && TryParseVersioning(payload, out var state)
                ? SetVersioningAsync(bucket, state, ct)
                : throw new ArgumentException("The versioning setting must be \"Enabled\" or \"Suspended\" and cannot be removed.", nameof(payload));
        }

        ct.ThrowIfCancellationRequested();
        ThrowIfDisposed();
        if (!_buckets.ContainsKey(bucket))
        {
            return Task.FromResult(EngineStatus.NoSuchBucket);
        }

        return _committer.SubmitAsync(new DocumentCommit(MetadataKeys.BucketSetting(bucket, name), payload, bucket));
    }

    /// <summary>Every setting of <paramref name="bucket"/> by name; null when the bucket does not exist.</summary>
    public IReadOnlyDictionary<string, byte[]>? GetBucketSettings(string bucket)
    {
        ValidateBucketName(bucket);
        using var gate = EnterOperation();
        if (!_buckets.ContainsKey(bucket))
        {
            return null;
        }

        return _store.ListDocuments(MetadataKeys.BucketSettingsOf(bucket), "bucket setting").ToDictionary(StringComparer.Ordinal);
    }

    /// <summary>Writes (or with a null <paramref name="payload"/> removes) a node-local system document. Status: Ok.</summary>
    public Task<EngineStatus> SetSystemDocumentAsync(string documentNamespace, string id, byte[]? payload, CancellationToken ct = default) =>
        SetSystemDocumentAsync(documentNamespace, id, payload, shared: false, ct);

    /// <summary>
    /// Writes (or removes) a system document that API services may remember (users, access keys, KMS keys): once
    /// committed, <see cref="BucketSettingsStamp"/> moves, so a request decided with a remembered copy is refused. Status: Ok.
    /// </summary>
    public Task<EngineStatus> SetSharedDocumentAsync(string documentNamespace, string id, byte[]? payload, CancellationToken ct = default) =>
        SetSystemDocumentAsync(documentNamespace, id, payload, shared: true, ct);

    private Task<EngineStatus> SetSystemDocumentAsync(string documentNamespace, string id, byte[]? payload, bool shared, CancellationToken ct)
    {
        ValidateDocumentName(documentNamespace, nameof(documentNamespace));
        ValidateDocument(id, payload);
        ct.ThrowIfCancellationRequested();
        ThrowIfDisposed();
        return _committer.SubmitAsync(new DocumentCommit(MetadataKeys.SystemDocument(documentNamespace, id), payload, requiredBucket: null, shared));
    }

    /// <summary>One system document's payload, or null.</summary>
    public byte[]? GetSystemDocument(string documentNamespace, string id)
    {
        ValidateDocumentName(documentNamespace, nameof(documentNamespace));
        ValidateDocumentName(id, nameof(id));
        using var gate = EnterOperation();
        return _store.GetDocument(MetadataKeys.SystemDocument(documentNamespace, id), "system document");
    }

    /// <summary>Every document of <paramref name="documentNamespace"/> as (id, payload) in ordinal id order.</summary>
    public IReadOnlyList<KeyValuePair<string, byte[]>> ListSystemDocuments(string documentNamespace)
    {
        ValidateDocumentName(documentNamespace, nameof(documentNamespace));
        using var gate = EnterOperation();
        return _store.ListDocuments(MetadataKeys.SystemDocumentsOf(documentNamespace), "system document");
    }

    /// <summary>
    /// Changes entries of an object's system metadata (null value = remove) in place: data, tags, ETag and Last-Modified
    /// are unchanged (S3 PutObjectAcl). <paramref name="versionId"/> names the version to change (null = the current
    /// one). Status: Ok, NoSuchBucket, NoSuchKey, NoSuchVersion or MethodNotAllowed (the version is a delete marker).
    /// </summary>
    public Task<EngineStatus> SetObjectSystemMetadataAsync(string bucket, string key, IReadOnlyDictionary<string, string?> changes, CancellationToken ct = default, string? versionId = null)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ValidateBucketName(bucket);
        ValidateKey(key);
        ct.ThrowIfCancellationRequested();
        ThrowIfDisposed();
        if (!_buckets.ContainsKey(bucket))
        {
            return Task.FromResult(EngineStatus.NoSuchBucket);
        }

        return _committer.SubmitAsync(new SystemMetadataCommit(bucket, key, new Dictionary<string, string?>(changes, StringComparer.Ordinal), versionId));
    }

    private static void ValidateDocument(string name, byte[]? payload)
    {
        ValidateDocumentName(name, nameof(name));
        if (payload is { Length: > MaxDocumentBytes })
        {
            throw new ArgumentException($"Document '{name}' is {payload.Length} bytes; at most {MaxDocumentBytes} are stored.", nameof(payload));
        }
    }

    private static void ValidateDocumentName(string name, string parameter)
    {
        ArgumentException.ThrowIfNullOrEmpty(name, parameter);
        if (name.Contains('\0', StringComparison.Ordinal) || System.Text.Encoding.UTF8.GetByteCount(name) > 1024)
        {
            throw new ArgumentException("Document names are 1 to 1,024 UTF-8 bytes without NUL.", parameter);
        }
    }
}
