using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using ComIO.IntegrationTests.Infrastructure;

namespace ComIO.IntegrationTests.Access;

/// <summary>
/// Identity across the whole topology (two API replicas behind one endpoint, users stored on the storage nodes): a user
/// and key created through the admin API work through the AWS SDK on every replica, and a disabled key fails on every
/// replica with the very next request.
/// </summary>
[Collection(TopologyCollection.Name)]
public sealed class AccessKeyRevocationTests(TopologyFixture topology)
{
    private const int Attempts = 10;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task DisabledKey_FailsAtOnceOnEveryReplica()
    {
        var admin = new AdminApiCaller(topology.S3Endpoint, TopologyFixture.AccessKey, TopologyFixture.SecretKey);
        var userName = "it-" + Guid.NewGuid().ToString("N")[..12];
        var bucket = "access-" + Guid.NewGuid().ToString("N")[..12];
        var (status, _) = await admin.SendAsync(HttpMethod.Post, "/users", $$"""{"name":"{{userName}}"}""", Ct);
        Assert.Equal(201, status);
        try
        {
            var policy = $$"""{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:CreateBucket","s3:ListBucket"],"Resource":"arn:aws:s3:::{{bucket}}"},"""
                + $$"""{"Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::{{bucket}}/*"}]}""";
            (status, _) = await admin.SendAsync(HttpMethod.Put, $"/users/{userName}/policies/create", policy, Ct);
            Assert.Equal(204, status);
            var (keyStatus, key) = await admin.SendAsync(HttpMethod.Post, $"/users/{userName}/keys", null, Ct);
            Assert.Equal(201, keyStatus);
            var accessKeyId = key!.Value.GetProperty("accessKeyId").GetString()!;
            var secret = key.Value.GetProperty("secretAccessKey").GetString()!;

            using (var s3 = NewClient(accessKeyId, secret))
            {
                await s3.PutBucketAsync(bucket, Ct);
                await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "k", ContentBody = "works" }, Ct);
            }

            // Every replica knows the new key (a fresh connection per request spreads them over the replicas).
            for (var i = 0; i < Attempts; i++)
            {
                using var s3 = NewClient(accessKeyId, secret);
                using var get = await s3.GetObjectAsync(bucket, "k", Ct);
                Assert.Equal("works", await new StreamReader(get.ResponseStream).ReadToEndAsync(Ct));
            }

            (status, _) = await admin.SendAsync(HttpMethod.Put, $"/keys/{accessKeyId}/status", """{"status":"Inactive"}""", Ct);
            Assert.Equal(204, status);

            for (var i = 0; i < Attempts; i++)
            {
                using var s3 = NewClient(accessKeyId, secret);
                var error = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.GetObjectAsync(bucket, "k", Ct));
                Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
                Assert.Equal("InvalidAccessKeyId", error.ErrorCode);
                var write = await Assert.ThrowsAsync<AmazonS3Exception>(() => s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = $"after-{i}", ContentBody = "x" }, Ct));
                Assert.Equal("InvalidAccessKeyId", write.ErrorCode);
            }

            // Nothing was written with the disabled key.
            using var root = topology.CreateClient();
            var listed = await root.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket }, Ct);
            Assert.Equal(["k"], listed.S3Objects.Select(o => o.Key));
        }
        finally
        {
            using var root = topology.CreateClient();
            try
            {
                await root.DeleteObjectAsync(bucket, "k", Ct);
                await root.DeleteBucketAsync(bucket, Ct);
            }
            catch (AmazonS3Exception)
            {
                // The bucket was never created.
            }

            await admin.SendAsync(HttpMethod.Delete, $"/users/{userName}", null, Ct);
        }
    }

    /// <summary>A client with its own connection pool, so each request may land on another replica.</summary>
    private AmazonS3Client NewClient(string accessKeyId, string secret) =>
        new(new BasicAWSCredentials(accessKeyId, secret), new AmazonS3Config
        {
            ServiceURL = topology.S3Endpoint.ToString(),
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            MaxErrorRetry = 0,
            CacheHttpClient = false,
        });
}
