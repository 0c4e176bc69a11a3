using ComIO.ReplicationWorker.Configuration;
using Microsoft.Extensions.Options;

namespace ComIO.ReplicationWorker.Copying;

/// <summary>
/// Copies a large version as a multipart upload: CreateMultipartUpload with the object's headers, parts of
/// <see cref="PartPlan"/> size uploaded <c>PartConcurrency</c> at a time (part 1 from the already open GET, the others
/// from ranged GETs of the same version), then CompleteMultipartUpload with the replica marks (the destination commits
/// the version id there). Any failure aborts the upload before it propagates. Memory per part is the SDK's chunk
/// buffer, never the part.
/// </summary>
public sealed class MultipartCopier(ISourceReader source, IOptions<ReplicationWorkerOptions> options, ILogger<MultipartCopier> logger)
{
    public async Task CopyAsync(string sourceBucket, string key, string versionId, SourceObject firstGet, string destinationBucket,
        IReplicaTarget target, IReadOnlyList<KeyValuePair<string, string>> objectHeaders, IReadOnlyList<KeyValuePair<string, string>> marks,
        CancellationToken cancellationToken)
    {
        var plan = PartPlan.For(firstGet.Version.ContentLength, options.Value.PartSize);
        var uploadId = await target.StartMultipartAsync(destinationBucket, key, objectHeaders, cancellationToken);
        try
        {
            var etags = new string[plan.PartCount];
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Value.PartConcurrency, CancellationToken = cancellationToken };
            await Parallel.ForEachAsync(Enumerable.Range(1, plan.PartCount), parallel, async (partNumber, token) =>
            {
                var length = plan.Length(partNumber);
                if (partNumber == 1)
                {
                    var body = new LengthLimitedStream(firstGet.Body, length);
                    etags[0] = await target.UploadPartAsync(destinationBucket, key, uploadId, 1, body, length, token);
                    await firstGet.DisposeAsync(); // the rest of the whole-object GET is not needed
                    return;
                }

                await using var range = await source.OpenAsync(sourceBucket, key, versionId, plan.Offset(partNumber), length, token)
                    ?? throw new SourceVersionGoneException($"part {partNumber} could not be read: the version no longer exists");
                if (range.BodyLength != length)
                {
                    throw new InvalidOperationException($"Ranged GET of part {partNumber} returned {range.BodyLength} bytes, expected {length}.");
                }

                etags[partNumber - 1] = await target.UploadPartAsync(destinationBucket, key, uploadId, partNumber, range.Body, length, token);
            });

            await target.CompleteMultipartAsync(destinationBucket, key, uploadId, etags, marks, cancellationToken);
        }
        catch (Exception e)
        {
            await AbortAsync(target, destinationBucket, key, uploadId, e);
            throw;
        }
    }

    private async Task AbortAsync(IReplicaTarget target, string bucket, string key, string uploadId, Exception cause)
    {
        try
        {
            // Not the entry's token: on shutdown the upload must still be aborted, within a bounded time.
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await target.AbortMultipartAsync(bucket, key, uploadId, timeout.Token);
        }
        catch (Exception abortError)
        {
            logger.LogWarning(abortError, "Could not abort multipart upload {UploadId} of {Bucket}/{Key} on {Site} after {Error}",
                uploadId, bucket, key, target.Site, cause.GetType().Name);
        }
    }
}
