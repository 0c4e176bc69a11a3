using System.Globalization;
using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using ComIO.ReplicationWorker.Configuration;
using ComIO.ReplicationWorker.Copying;
using Microsoft.Extensions.Options;

namespace ComIO.ReplicationWorker.S3;

/// <summary>Reads source versions from the local site's S3 API (<c>Replication:SourceEndpoint</c>). Thread-safe.</summary>
public sealed class S3SourceReader(S3ClientFactory clients, IOptions<ReplicationWorkerOptions> options) : ISourceReader, IDisposable
{
    private readonly AmazonS3Client _client = clients.Create(options.Value.SourceEndpoint!);

    public async Task<SourceObject?> OpenAsync(string bucket, string key, string versionId, long offset, long? length, CancellationToken cancellationToken)
    {
        var request = new GetObjectRequest { BucketName = bucket, Key = key, VersionId = versionId };
        if (length is { } count)
        {
            request.ByteRange = new ByteRange(offset, offset + count - 1);
        }

        GetObjectResponse response;
        try
        {
            response = await _client.GetObjectAsync(request, cancellationToken);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.BadRequest && e.Message.Contains("Server Side Encryption", StringComparison.OrdinalIgnoreCase))
        {
            // SSE-C: only the client holds the key; the source site cannot serve the version to anyone without it.
            throw new Processing.PermanentReplicationException($"{bucket}/{key}@{versionId} is encrypted with a customer-provided key (SSE-C) and cannot be replicated", e);
        }

        try
        {
            var version = Describe(response, versionId);
            return new SourceObject(version, response.ResponseStream, response.ContentLength, response);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    public async Task<IReadOnlyList<KeyValuePair<string, string>>> GetTagsAsync(string bucket, string key, string versionId, CancellationToken cancellationToken)
    {
        var response = await _client.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = bucket, Key = key, VersionId = versionId }, cancellationToken);
        return (response.Tagging ?? []).Select(t => new KeyValuePair<string, string>(t.Key, t.Value ?? "")).ToList();
    }

    /// <summary>The version's description from a GET response (for a ranged GET the size comes from Content-Range).</summary>
    private static SourceVersion Describe(GetObjectResponse response, string versionId)
    {
        var total = response.ContentLength;
        if (response.ContentRange is { } range && range.LastIndexOf('/') is var slash and >= 0
            && long.TryParse(range.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var size))
        {
            total = size;
        }

        var metadata = response.Metadata.Keys
            .Select(name => new KeyValuePair<string, string>(name, response.Metadata[name]))
            .ToList();
        return new SourceVersion
        {
            VersionId = response.VersionId ?? versionId,
            ContentLength = total,
            ETag = response.ETag ?? "",
            ContentType = response.Headers.ContentType,
            CacheControl = response.Headers.CacheControl,
            ContentDisposition = response.Headers.ContentDisposition,
            ContentEncoding = response.Headers.ContentEncoding,
            ContentLanguage = response.Headers.ContentLanguage,
            Expires = response.ExpiresString,
            Metadata = metadata,
            TagCount = response.TagCount ?? 0,
            ObjectLockMode = response.ObjectLockMode?.Value,
            ObjectLockRetainUntil = response.ObjectLockRetainUntilDate is { } until
                ? new DateTimeOffset(DateTime.SpecifyKind(until, until.Kind == DateTimeKind.Unspecified ? DateTimeKind.Utc : until.Kind))
                : null,
            ObjectLockLegalHold = response.ObjectLockLegalHoldStatus?.Value,
            ServerSideEncryption = response.ServerSideEncryptionMethod?.Value is { Length: > 0 } sse && sse != "None" ? sse : null,
        };
    }

    public void Dispose() => _client.Dispose();
}
