using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using ComIO.ReplicationWorker.Copying;

namespace ComIO.ReplicationWorker.S3;

/// <summary>
/// A destination site reached through its S3 endpoint with AWSSDK. Every header passed in is added with
/// <see cref="SignedRequestHeaders"/> (signed); bodies are streamed with their length given up front, never buffered.
/// Owns its client. Thread-safe.
/// </summary>
public sealed class S3ReplicaTarget(string site, AmazonS3Client client) : IReplicaTarget, IDisposable
{
    public string Site { get; } = site;

    public async Task<bool> HasVersionAsync(string bucket, string key, string versionId, CancellationToken cancellationToken)
    {
        try
        {
            await client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucket, Key = key, VersionId = versionId }, cancellationToken);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.MethodNotAllowed)
        {
            return true; // the version exists and is a delete marker (x-amz-delete-marker: true)
        }
    }

    public async Task PutAsync(string bucket, string key, Stream body, long length, IReadOnlyList<KeyValuePair<string, string>> headers,
        CancellationToken cancellationToken)
    {
        var request = new PutObjectRequest { BucketName = bucket, Key = key, InputStream = body, AutoCloseStream = false, AutoResetStreamPosition = false };
        request.Headers.ContentLength = length;
        await client.PutObjectAsync(request.With(SetContentHeaders(headers, request.Headers)), cancellationToken);
    }

    public async Task<string> StartMultipartAsync(string bucket, string key, IReadOnlyList<KeyValuePair<string, string>> headers, CancellationToken cancellationToken)
    {
        var request = new InitiateMultipartUploadRequest { BucketName = bucket, Key = key };
        var response = await client.InitiateMultipartUploadAsync(request.With(SetContentHeaders(headers, request.Headers)), cancellationToken);
        return response.UploadId;
    }

    public async Task<string> UploadPartAsync(string bucket, string key, string uploadId, int partNumber, Stream body, long length, CancellationToken cancellationToken)
    {
        var request = new UploadPartRequest
        {
            BucketName = bucket,
            Key = key,
            UploadId = uploadId,
            PartNumber = partNumber,
            InputStream = new PartBodyStream(body, length),
            PartSize = length,
        };
        var response = await client.UploadPartAsync(request, cancellationToken);
        return response.ETag;
    }

    public async Task CompleteMultipartAsync(string bucket, string key, string uploadId, IReadOnlyList<string> partETags,
        IReadOnlyList<KeyValuePair<string, string>> headers, CancellationToken cancellationToken)
    {
        var request = new CompleteMultipartUploadRequest
        {
            BucketName = bucket,
            Key = key,
            UploadId = uploadId,
            PartETags = partETags.Select((etag, index) => new PartETag(index + 1, etag)).ToList(),
        };
        await client.CompleteMultipartUploadAsync(request.With(headers), cancellationToken);
    }

    public async Task AbortMultipartAsync(string bucket, string key, string uploadId, CancellationToken cancellationToken) =>
        await client.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = bucket, Key = key, UploadId = uploadId }, cancellationToken);

    public async Task DeleteAsync(string bucket, string key, IReadOnlyList<KeyValuePair<string, string>> headers, CancellationToken cancellationToken) =>
        await client.DeleteObjectAsync(new DeleteObjectRequest { BucketName = bucket, Key = key }.With(headers), cancellationToken);

    /// <summary>
    /// Moves the standard content headers into the SDK's own header collection, where the SDK expects them (it owns
    /// Content-Type and Content-Encoding, which its aws-chunked signing may extend; a raw header set after marshalling
    /// would silently replace the SDK's value), and returns the other headers, which are added by
    /// <see cref="SignedRequestHeaders"/>. Both kinds are signed. (The aws-chunked framing itself is announced by
    /// <c>x-amz-content-sha256</c>; AWSSDK v4 sends <c>Content-Encoding: gzip</c>, not <c>aws-chunked,gzip</c>.)
    /// </summary>
    private static List<KeyValuePair<string, string>> SetContentHeaders(IReadOnlyList<KeyValuePair<string, string>> headers, HeadersCollection target)
    {
        var rest = new List<KeyValuePair<string, string>>(headers.Count);
        foreach (var header in headers)
        {
            if (ContentHeaders.Contains(header.Key))
            {
                target[header.Key] = header.Value;
            }
            else
            {
                rest.Add(header);
            }
        }

        return rest;
    }

    private static readonly HashSet<string> ContentHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Content-Type", "Cache-Control", "Content-Disposition", "Content-Encoding", "Content-Language", "Expires",
    };

    public void Dispose() => client.Dispose();
}
