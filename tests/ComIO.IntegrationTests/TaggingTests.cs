using System.Net;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using ComIO.IntegrationTests.Infrastructure;

namespace ComIO.IntegrationTests;

/// <summary>
/// Object tagging across the whole topology (API service, storage nodes, engines on device images): the AWS SDK and
/// the real <c>aws s3api put-object-tagging</c> / <c>get-object-tagging</c> see the same tag sets, and tags stay with
/// the object through copies and multipart completion.
/// </summary>
[Collection(TopologyCollection.Name)]
public sealed class TaggingTests(TopologyFixture topology)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Sdk_TagsObjectsOnPutCopyAndMultipart_AndTagCountIsReported()
    {
        using var s3 = topology.CreateClient();
        var bucket = "tags-" + Guid.NewGuid().ToString("N")[..10];
        await s3.PutBucketAsync(bucket, Ct);

        await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = "a/tagged.txt",
            ContentBody = "tagged",
            TagSet = [new Tag { Key = "team", Value = "storage" }, new Tag { Key = "tier", Value = "hot" }],
        }, Ct);
        var tags = await s3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = bucket, Key = "a/tagged.txt" }, Ct);
        Assert.Equal([("team", "storage"), ("tier", "hot")], tags.Tagging.Select(t => (t.Key, t.Value)));
        using (var get = await s3.GetObjectAsync(bucket, "a/tagged.txt", Ct))
        {
            Assert.Equal(2, get.TagCount);
        }

        await s3.CopyObjectAsync(new CopyObjectRequest { SourceBucket = bucket, SourceKey = "a/tagged.txt", DestinationBucket = bucket, DestinationKey = "copy.txt" }, Ct);
        var copied = await s3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = bucket, Key = "copy.txt" }, Ct);
        Assert.Equal(["team", "tier"], copied.Tagging.Select(t => t.Key));

        var init = await s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = "mp.bin", TagSet = [new Tag { Key = "mp", Value = "yes" }] }, Ct);
        var part = await s3.UploadPartAsync(new UploadPartRequest { BucketName = bucket, Key = "mp.bin", UploadId = init.UploadId, PartNumber = 1, InputStream = new MemoryStream(new byte[1000]) }, Ct);
        await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = bucket, Key = "mp.bin", UploadId = init.UploadId, PartETags = [new PartETag(1, part.ETag)] }, Ct);
        var multipart = await s3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = bucket, Key = "mp.bin" }, Ct);
        Assert.Equal([("mp", "yes")], multipart.Tagging.Select(t => (t.Key, t.Value)));

        await s3.PutObjectTaggingAsync(new PutObjectTaggingRequest
        {
            BucketName = bucket,
            Key = "a/tagged.txt",
            Tagging = new Tagging { TagSet = [new Tag { Key = "replaced", Value = "1" }] },
        }, Ct);
        Assert.Equal(["replaced"], (await s3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = bucket, Key = "a/tagged.txt" }, Ct)).Tagging.Select(t => t.Key));
        await s3.DeleteObjectTaggingAsync(new DeleteObjectTaggingRequest { BucketName = bucket, Key = "a/tagged.txt" }, Ct);
        Assert.Empty((await s3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = bucket, Key = "a/tagged.txt" }, Ct)).Tagging ?? []);

        var tooMany = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.PutObjectTaggingAsync(new PutObjectTaggingRequest
        {
            BucketName = bucket,
            Key = "copy.txt",
            Tagging = new Tagging { TagSet = [.. Enumerable.Range(0, 11).Select(i => new Tag { Key = $"k{i}", Value = "v" })] },
        }, Ct));
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        var missing = await Assert.ThrowsAnyAsync<AmazonS3Exception>(() => s3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = bucket, Key = "missing" }, Ct));
        Assert.Equal("NoSuchKey", missing.ErrorCode);

        foreach (var key in new[] { "a/tagged.txt", "copy.txt", "mp.bin" })
        {
            await s3.DeleteObjectAsync(bucket, key, Ct);
        }

        await s3.DeleteBucketAsync(bucket, Ct);
    }

    [Fact]
    public async Task AwsCli_PutObjectTaggingAndGetObjectTagging_RoundTrip()
    {
        Assert.SkipUnless(AwsCli.IsInstalled, "/usr/bin/aws is not installed (run `make setup`).");
        using var s3 = topology.CreateClient();
        var bucket = "tags-cli-" + Guid.NewGuid().ToString("N")[..8];
        await s3.PutBucketAsync(bucket, Ct);
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "dir/obj.txt", ContentBody = "cli" }, Ct);

        await Expect(0, "s3api", "put-object-tagging", "--bucket", bucket, "--key", "dir/obj.txt",
            "--tagging", "{\"TagSet\":[{\"Key\":\"env\",\"Value\":\"test\"},{\"Key\":\"owner name\",\"Value\":\"Zoë\"}]}");
        var output = await Expect(0, "s3api", "get-object-tagging", "--bucket", bucket, "--key", "dir/obj.txt", "--output", "json");
        using var json = JsonDocument.Parse(output);
        var tagSet = json.RootElement.GetProperty("TagSet").EnumerateArray().Select(t => (t.GetProperty("Key").GetString(), t.GetProperty("Value").GetString())).ToList();
        Assert.Equal([("env", "test"), ("owner name", "Zoë")], tagSet);

        var sdkView = await s3.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = bucket, Key = "dir/obj.txt" }, Ct);
        Assert.Equal(["env", "owner name"], sdkView.Tagging.Select(t => t.Key));

        var invalid = await AwsCli.RunAsync(topology, Ct, "s3api", "put-object-tagging", "--bucket", bucket, "--key", "dir/obj.txt",
            "--tagging", "{\"TagSet\":[{\"Key\":\"aws:reserved\",\"Value\":\"x\"}]}");
        Assert.NotEqual(0, invalid.ExitCode);
        Assert.Contains("InvalidTag", invalid.StdErr, StringComparison.Ordinal);

        await Expect(0, "s3api", "put-object", "--bucket", bucket, "--key", "put-tagged.txt", "--tagging", "a=1&b=two%20words");
        var putTagged = await Expect(0, "s3api", "get-object-tagging", "--bucket", bucket, "--key", "put-tagged.txt", "--output", "json");
        Assert.Contains("two words", putTagged, StringComparison.Ordinal);

        await Expect(0, "s3api", "delete-object-tagging", "--bucket", bucket, "--key", "dir/obj.txt");
        var cleared = await Expect(0, "s3api", "get-object-tagging", "--bucket", bucket, "--key", "dir/obj.txt", "--output", "json");
        using var clearedJson = JsonDocument.Parse(cleared);
        Assert.Equal(0, clearedJson.RootElement.GetProperty("TagSet").GetArrayLength());

        await s3.DeleteObjectAsync(bucket, "dir/obj.txt", Ct);
        await s3.DeleteObjectAsync(bucket, "put-tagged.txt", Ct);
        await s3.DeleteBucketAsync(bucket, Ct);
    }

    private async Task<string> Expect(int exitCode, params string[] args)
    {
        var (code, stdout, stderr) = await AwsCli.RunAsync(topology, Ct, args);
        Assert.True(code == exitCode, $"aws {string.Join(' ', args)} exited {code}: {stderr}");
        return stdout;
    }
}
