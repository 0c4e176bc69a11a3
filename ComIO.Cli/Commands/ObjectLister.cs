using System.Runtime.CompilerServices;
using Amazon.S3;
using Amazon.S3.Model;

namespace ComIO.Cli.Commands;

/// <summary>Pages through ListObjectsV2 with continuation tokens.</summary>
public static class ObjectLister
{
    public static async IAsyncEnumerable<ListObjectsV2Response> PagesAsync(
        IAmazonS3 s3, string bucket, string prefix, string? delimiter, [EnumeratorCancellation] CancellationToken ct)
    {
        string? token = null;
        do
        {
            var page = await s3.ListObjectsV2Async(
                new ListObjectsV2Request { BucketName = bucket, Prefix = prefix, Delimiter = delimiter, ContinuationToken = token }, ct);
            yield return page;
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (!string.IsNullOrEmpty(token));
    }
}
