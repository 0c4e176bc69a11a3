using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;

namespace ComIO.IntegrationTests.Replication;

/// <summary>One object version as a site lists it, with the MD5 of its bytes as that site serves them (null for a delete marker).</summary>
public sealed record SiteVersion(string Key, string VersionId, bool IsDeleteMarker, bool IsLatest, string? ContentMd5);

/// <summary>Reads a bucket's complete version history from a site, hashing every data version's bytes.</summary>
public static class SiteComparison
{
    public static async Task<List<SiteVersion>> VersionsAsync(IAmazonS3 s3, string bucket, bool withContent, CancellationToken ct)
    {
        var versions = new List<SiteVersion>();
        var request = new ListVersionsRequest { BucketName = bucket, MaxKeys = 1000 };
        while (true)
        {
            var page = await s3.ListVersionsAsync(request, ct);
            foreach (var v in page.Versions ?? [])
            {
                string? md5 = null;
                if (withContent && v.IsDeleteMarker != true)
                {
                    using var get = await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = v.Key, VersionId = v.VersionId }, ct);
                    md5 = Convert.ToHexStringLower(await MD5.HashDataAsync(get.ResponseStream, ct));
                }

                versions.Add(new SiteVersion(v.Key, v.VersionId, v.IsDeleteMarker == true, v.IsLatest == true, md5));
            }

            if (page.IsTruncated != true)
            {
                return versions;
            }

            request.KeyMarker = page.NextKeyMarker;
            request.VersionIdMarker = page.NextVersionIdMarker;
        }
    }

    /// <summary>
    /// Polls until both sites list the same versions (keys, ids, markers, latest flags) or the deadline passes; then
    /// returns both listings with content hashes for the caller to assert on.
    /// </summary>
    public static async Task<(List<SiteVersion> A, List<SiteVersion> B)> WaitForSameVersionsAsync(IAmazonS3 a, IAmazonS3 b, string bucket, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var left = await VersionsAsync(a, bucket, withContent: false, ct);
            var right = await VersionsAsync(b, bucket, withContent: false, ct);
            if (left.SequenceEqual(right) || DateTime.UtcNow > deadline)
            {
                return (await VersionsAsync(a, bucket, withContent: true, ct), await VersionsAsync(b, bucket, withContent: true, ct));
            }

            await Task.Delay(TimeSpan.FromSeconds(1), ct);
        }
    }
}
