using System.Diagnostics;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using ComIO.IntegrationTests.Infrastructure;

namespace ComIO.IntegrationTests.Listing;

/// <summary>
/// 100,000 small objects in one bucket, spread over 100 prefixes, written with 48 concurrent PutObject calls; then
/// ListObjectsV2 must page through all of them exactly once in order, group them into exactly 100 common prefixes,
/// and filter one prefix exactly. Objects are removed with DeleteObjects batches of 1000.
/// </summary>
[Collection(TopologyCollection.Name)]
public sealed class ListingAtScaleTests(TopologyFixture topology)
{
    private const int ObjectCount = 100_000;
    private const int PrefixCount = 100;
    private const int PutConcurrency = 48;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ITestOutputHelper? Output => TestContext.Current.TestOutputHelper;

    // Key i lives under prefix p{i % 100}, so consecutive writes hit every prefix and both storage nodes' key ranges.
    private static string KeyOf(int i) => $"p{i % PrefixCount}/k{i:D6}";

    private static int SizeOf(int i) => i % 65; // 0..64 bytes

    [Fact(Timeout = 420_000)]
    public async Task ListObjectsV2_Pages100kObjects_ExactlyOnceInOrder_WithDelimiterAndPrefix()
    {
        var ct = TestContext.Current.CancellationToken;
        var bucket = "list-100k-" + Guid.NewGuid().ToString("N")[..8];
        using var s3 = CreateFastClient();
        await s3.PutBucketAsync(bucket, ct);
        try
        {
            // ---- write ----
            var clock = Stopwatch.StartNew();
            var payload = Enumerable.Range(0, 64).Select(b => (byte)('a' + (b % 26))).ToArray();
            await Parallel.ForEachAsync(Enumerable.Range(0, ObjectCount), new ParallelOptions { MaxDegreeOfParallelism = PutConcurrency, CancellationToken = ct }, async (i, token) =>
            {
                await s3.PutObjectAsync(new PutObjectRequest
                {
                    BucketName = bucket,
                    Key = KeyOf(i),
                    InputStream = new MemoryStream(payload, 0, SizeOf(i), writable: false),
                    AutoCloseStream = true,
                }, token);
            });
            var putTime = clock.Elapsed;
            Output?.WriteLine($"PUT {ObjectCount:N0} objects with {PutConcurrency} concurrent requests: {putTime.TotalSeconds:F1} s ({ObjectCount / putTime.TotalSeconds:F0}/s)");

            var expectedKeys = Enumerable.Range(0, ObjectCount).Select(KeyOf).Order(StringComparer.Ordinal).ToList();
            var expectedSizes = Enumerable.Range(0, ObjectCount).ToDictionary(KeyOf, SizeOf, StringComparer.Ordinal);

            // ---- full listing, 1000 keys a page ----
            clock.Restart();
            var pages = await ListAllAsync(s3, new ListObjectsV2Request { BucketName = bucket, MaxKeys = 1000 });
            Output?.WriteLine($"ListObjectsV2 all ({pages.Count} pages): {clock.Elapsed.TotalSeconds:F1} s");
            var listed = pages.SelectMany(p => p.S3Objects ?? []).ToList();
            Assert.Equal(ObjectCount, listed.Count);
            var firstWrong = Enumerable.Range(0, ObjectCount).FirstOrDefault(i => listed[i].Key != expectedKeys[i], -1);
            Assert.True(firstWrong < 0, firstWrong < 0 ? "" : $"key #{firstWrong} is {listed[firstWrong].Key}, expected {expectedKeys[firstWrong]}");
            Assert.All(listed, o => Assert.Equal(expectedSizes[o.Key], o.Size));
            Assert.All(pages.SkipLast(1), p => Assert.Equal(1000, p.S3Objects.Count));
            Assert.All(pages, p => Assert.Equal(p.S3Objects?.Count ?? 0, p.KeyCount));
            // S3 does not announce a further page when the last full page exhausted the keys.
            Assert.Equal(ObjectCount / 1000, pages.Count);
            Assert.False(pages[^1].IsTruncated ?? false);

            // ---- delimiter: exactly the 100 prefixes, no objects (and paged 30 at a time, too) ----
            clock.Restart();
            var expectedPrefixes = Enumerable.Range(0, PrefixCount).Select(p => $"p{p}/").Order(StringComparer.Ordinal).ToList();
            var delimited = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Delimiter = "/", MaxKeys = 1000 }, ct);
            Assert.Equal(expectedPrefixes, delimited.CommonPrefixes);
            Assert.Empty(delimited.S3Objects ?? []);
            Assert.Equal(PrefixCount, delimited.KeyCount);
            Assert.False(delimited.IsTruncated ?? false);
            var delimitedPages = await ListAllAsync(s3, new ListObjectsV2Request { BucketName = bucket, Delimiter = "/", MaxKeys = 30 });
            Assert.Equal([30, 30, 30, 10], delimitedPages.Select(p => p.CommonPrefixes?.Count ?? 0));
            Assert.Equal(expectedPrefixes, delimitedPages.SelectMany(p => p.CommonPrefixes ?? []));
            Output?.WriteLine($"ListObjectsV2 delimiter '/' (1 + {delimitedPages.Count} pages): {clock.Elapsed.TotalSeconds:F1} s");

            // ---- prefix: exactly p7/'s 1000 keys ----
            clock.Restart();
            var p7 = await ListAllAsync(s3, new ListObjectsV2Request { BucketName = bucket, Prefix = "p7/", MaxKeys = 1000 });
            Output?.WriteLine($"ListObjectsV2 prefix p7/ ({p7.Count} pages): {clock.Elapsed.TotalSeconds:F1} s");
            var expectedP7 = expectedKeys.Where(k => k.StartsWith("p7/", StringComparison.Ordinal)).ToList();
            Assert.Equal(ObjectCount / PrefixCount, expectedP7.Count);
            Assert.Equal(expectedP7, p7.SelectMany(p => p.S3Objects ?? []).Select(o => o.Key));
            Assert.Single(p7);
            Assert.False(p7[0].IsTruncated ?? false);
            var p7Half = await ListAllAsync(s3, new ListObjectsV2Request { BucketName = bucket, Prefix = "p7/", MaxKeys = 1000, StartAfter = expectedP7[499] });
            Assert.Equal(expectedP7[500..], p7Half.SelectMany(p => p.S3Objects ?? []).Select(o => o.Key));

            // ---- delete with DeleteObjects, 1000 keys a batch ----
            clock.Restart();
            await Parallel.ForEachAsync(expectedKeys.Chunk(1000), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (batch, token) =>
            {
                var result = await s3.DeleteObjectsAsync(new DeleteObjectsRequest
                {
                    BucketName = bucket,
                    Quiet = true,
                    Objects = batch.Select(k => new KeyVersion { Key = k }).ToList(),
                }, token);
                Assert.Empty(result.DeleteErrors ?? []);
            });
            Output?.WriteLine($"DeleteObjects {ObjectCount:N0} keys in batches of 1000: {clock.Elapsed.TotalSeconds:F1} s");
            var empty = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket }, ct);
            Assert.Empty(empty.S3Objects ?? []);
            await s3.DeleteBucketAsync(bucket, ct);
        }
        finally
        {
            using var cleanup = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            await BucketJanitor.DeleteBucketIfExistsAsync(s3, bucket, cleanup.Token);
        }
    }

    private static async Task<List<ListObjectsV2Response>> ListAllAsync(IAmazonS3 s3, ListObjectsV2Request request)
    {
        var pages = new List<ListObjectsV2Response>();
        do
        {
            var page = await s3.ListObjectsV2Async(request, Ct);
            pages.Add(page);
            Assert.True(pages.Count <= ObjectCount / Math.Max(1, request.MaxKeys ?? 1000) + 2, "pagination does not terminate");
            request.ContinuationToken = page.IsTruncated == true ? page.NextContinuationToken : null;
            if (page.IsTruncated == true)
            {
                Assert.False(string.IsNullOrEmpty(page.NextContinuationToken), "IsTruncated without NextContinuationToken");
            }
        }
        while (request.ContinuationToken is not null);
        return pages;
    }

    // Same endpoint and credentials as the fixture's client; only checksums where S3 requires them (DeleteObjects), so
    // 100k tiny PUTs are not dominated by client-side checksum trailers on this 2-core machine.
    private AmazonS3Client CreateFastClient() =>
        new(new BasicAWSCredentials(TopologyFixture.AccessKey, TopologyFixture.SecretKey), new AmazonS3Config
        {
            ServiceURL = topology.S3Endpoint.ToString(),
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            Timeout = TimeSpan.FromMinutes(2),
            MaxErrorRetry = 0,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        });
}
