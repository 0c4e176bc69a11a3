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
public sealed class EncryptedObjectReader(StorageNodeClient nodes, ObjectEncryption encryption)
{
    public const string KeyRequiredStatus = "EncryptionKeyRequired";

    /// <summary>As <see cref="StorageNodeClient.GetObjectAsync"/>; with <paramref name="copySource"/> the SSE-C key comes from the copy-source headers.</summary>
    public async Task<NodeObjectResponse> GetObjectAsync(S3Request request, StorageNodeInfo owner, string bucket, string key, string? range, int? partNumber, string? versionId, bool copySource = false)
    {
        byte[]? dataKey = null;
        string? check = null;
        for (var attempt = 0; ; attempt++)
        {
            var response = await nodes.GetObjectAsync(owner, bucket, key, range, request.Aborted, partNumber, versionId, dataKey, check).ConfigureAwait(false);
            if (response.Error is { Status: KeyRequiredStatus } && response.Info is { } encrypted && attempt < 3)
            {
                await response.DisposeAsync();
                dataKey = await encryption.ResolveKeyAsync(request, encrypted.SystemMetadata, bucket, key, copySource);
                check = encrypted.SystemMetadata.GetValueOrDefault(InternalApi.WrappedKeyMetadata);
                continue;
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
}
