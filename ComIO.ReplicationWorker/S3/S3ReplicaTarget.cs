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
        await client.PutObjectAsync(request.With(headers), cancellationToken);
    }

    public async Task<string> StartMultipartAsync(string bucket, string key, IReadOnlyList<KeyValuePair<string, string>> headers, CancellationToken cancellationToken)
    {
        var response = await client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = key }.With(headers), cancellationToken);
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
            InputStream = body,
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

    public void Dispose() => client.Dispose();
}
