using ComIO.ApiService.Nodes;
using ComIO.ApiService.Pipeline;
using ComIO.ApiService.Placement;
using ComIO.Contracts.Nodes;

namespace ComIO.ApiService.Encryption;

/// <summary>
/// Opens an object on its node, supplying the data key when it is encrypted at rest. The first request carries no key
/// (objects in the clear cost nothing extra); a node that finds an encrypted version answers 403 EncryptionKeyRequired
/// with the version's info, the key is resolved from it (SSE-C: from the request's headers) and the read is sent again
/// with the key and the wrapped key it came from, so a version replaced in between is detected and resolved anew.
/// </summary>
/// <remarks>
/// Data keys of SSE-S3 and SSE-KMS objects read recently are kept in a bounded cache (by bucket, key and version, with
/// the wrapped key they came from), so a repeated GET of an encrypted object is one node round trip: the node checks
/// the wrapped key (<see cref="InternalApi.DataKeyCheckHeader"/>) and answers 403 with the current version's metadata
/// when it changed, which falls back to resolving the key again. SSE-C keys are never cached (each request proves its key).
/// </remarks>
public sealed class EncryptedObjectReader(StorageNodeClient nodes, ObjectEncryption encryption)
{
    public const string KeyRequiredStatus = "EncryptionKeyRequired";
    private const int MaxCachedKeys = 4096;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Bucket, string Key, string Version), (string Check, byte[] DataKey)> _keys = new();

    /// <summary>As <see cref="StorageNodeClient.GetObjectAsync"/>; with <paramref name="copySource"/> the SSE-C key comes from the copy-source headers.</summary>
    public async Task<NodeObjectResponse> GetObjectAsync(S3Request request, StorageNodeInfo owner, string bucket, string key, string? range, int? partNumber, string? versionId, bool copySource = false)
    {
        var cacheKey = (bucket, key, versionId ?? "");

        // The request's settings stamp goes with a read of the request's own object only (not a copy source).
        var stamp = !copySource && bucket == request.Bucket && key == request.Key && owner == request.SettingsNode ? request.SettingsStamp : null;
        byte[]? dataKey = null;
        string? check = null;
        if (!CustomerKey.IsPresent(request, copySource ? SseHeaders.CopySourcePrefix : "") && _keys.TryGetValue(cacheKey, out var cached))
        {
            (check, dataKey) = cached;
        }

        for (var attempt = 0; ; attempt++)
        {
            var response = await nodes.GetObjectAsync(owner, bucket, key, range, request.Aborted, partNumber, versionId, dataKey, check, stamp).ConfigureAwait(false);
            if (response.Error is { Status: KeyRequiredStatus } && response.Info is { } encrypted && attempt < 3)
            {
                await response.DisposeAsync();
                dataKey = await encryption.ResolveKeyAsync(request, encrypted.SystemMetadata, bucket, key, copySource);
                check = encrypted.SystemMetadata.GetValueOrDefault(InternalApi.WrappedKeyMetadata);
                Remember(cacheKey, encrypted, check, dataKey);
                continue;
            }

            if (response.Error is null && dataKey is not null && response.Info is { } served && ObjectEncryption.ModeOf(served.SystemMetadata) is null)
            {
                // A cached key for a version that is now stored in the clear (the node ignored the key).
                _keys.TryRemove(cacheKey, out _);
                dataKey = null;
            }

            if (response.Error is null && dataKey is null && response.Info is { } clear)
            {
                try
                {
                    // Data in the clear: SSE-C headers on the request are an error, as AWS answers.
                    await encryption.ResolveKeyAsync(request, clear.SystemMetadata, bucket, key, copySource);
                }
                catch
                {
                    await response.DisposeAsync();
                    throw;
                }
            }

            return response;
        }
    }

    private void Remember((string, string, string) cacheKey, ObjectInfo info, string? check, byte[]? dataKey)
    {
        if (dataKey is null || check is null || ObjectEncryption.ModeOf(info.SystemMetadata) is not (SseHeaders.Aes256 or SseHeaders.Kms))
        {
            return;
        }

        if (_keys.Count >= MaxCachedKeys)
        {
            _keys.Clear();
        }

        _keys[cacheKey] = (check, dataKey);
    }
}
