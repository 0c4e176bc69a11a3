using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace ComIO.IntegrationTests.Infrastructure;

/// <summary>Best-effort cleanup for tests: removes every object of a bucket (DeleteObjects, 1000 keys a batch) and the bucket.</summary>
public static class BucketJanitor
{
    /// <summary>Deletes all objects with DeleteObjects batches of at most 1000 keys; returns how many were deleted.</summary>
    public static async Task<int> DeleteAllObjectsAsync(IAmazonS3 s3, string bucket, CancellationToken ct)
    {
        var deleted = 0;
        while (true)
        {
            // Always list from the start: the previous batch is gone, so the next page is the next batch.
            var page = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, MaxKeys = 1000 }, ct);
            var keys = page.S3Objects ?? [];
            if (keys.Count == 0)
            {
                return deleted;
            }

            var result = await s3.DeleteObjectsAsync(new DeleteObjectsRequest
            {
                BucketName = bucket,
                Quiet = true,
                Objects = keys.Select(o => new KeyVersion { Key = o.Key }).ToList(),
            }, ct);
            if (result.DeleteErrors is { Count: > 0 } errors)
            {
                throw new InvalidOperationException($"DeleteObjects failed for {errors.Count} keys, first: {errors[0].Key} {errors[0].Code} {errors[0].Message}");
            }

            deleted += keys.Count;
        }
    }

    /// <summary>Empties and deletes the bucket if it still exists; swallows nothing but NoSuchBucket.</summary>
    public static async Task DeleteBucketIfExistsAsync(IAmazonS3 s3, string bucket, CancellationToken ct)
    {
        try
        {
            await DeleteAllObjectsAsync(s3, bucket, ct);
            await s3.DeleteBucketAsync(bucket, ct);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
        }
    }
}
