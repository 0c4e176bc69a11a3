using System.Net;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using ComIO.ApiService.Tests.S3.Harness;
using Xunit;

namespace ComIO.ApiService.Tests.S3;

/// <summary>
/// Bucket lifecycle through the AWS SDK and on the wire: Put/Get/DeleteBucketLifecycleConfiguration, AWS's validation
/// errors and required integrity header, <c>x-amz-expiration</c> on GET/HEAD, and expiry end to end: the nodes evaluate
/// rules three days ahead (<see cref="LifecycleClusterFixture"/>) and the test triggers their scanners.
/// </summary>
public sealed class LifecycleTests(LifecycleClusterFixture fixture) : IClassFixture<LifecycleClusterFixture>
{
    private ComIOCluster Cluster => fixture.Cluster;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static LifecycleRule PrefixRule(string id, string prefix, int days) => new()
    {
        Id = id,
        Status = LifecycleRuleStatus.Enabled,
        Filter = new LifecycleFilter { Prefix = prefix },
        Expiration = new LifecycleRuleExpiration { Days = days },
    };

    private Task PutRulesAsync(string bucket, params LifecycleRule[] rules) =>
        Cluster.S3.PutLifecycleConfigurationAsync(new PutLifecycleConfigurationRequest { BucketName = bucket, Configuration = new LifecycleConfiguration { Rules = [.. rules] } }, Ct);

    /// <summary>GET ?lifecycle on the wire answers 404 with <paramref name="code"/> (the SDK maps these 404s to an empty configuration).</summary>
    private async Task AssertGetLifecycleFailsAsync(string bucket, string code)
    {
        using var response = await Cluster.Wire.SendAsync(HttpMethod.Get, "/" + bucket, [("lifecycle", "")]);
        await S3Assert.ErrorAsync(response, HttpStatusCode.NotFound, code);
    }

    private Task PutObjectAsync(string bucket, string key, string body) =>
        Cluster.S3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, ContentBody = body }, Ct);

    [Fact]
    public async Task LifecycleConfiguration_PutGetDelete_RoundTrips()
    {
        var bucket = await Cluster.CreateBucketAsync("lc");
        await AssertGetLifecycleFailsAsync(bucket, "NoSuchLifecycleConfiguration");

        await PutRulesAsync(bucket,
            PrefixRule("logs", "logs/", 7),
            new LifecycleRule
            {
                Id = "versions",
                Status = LifecycleRuleStatus.Disabled,
                Filter = new LifecycleFilter { And = new LifecycleRuleAndOperator { Prefix = "data/", Tags = [new Tag { Key = "tier", Value = "cold" }], ObjectSizeGreaterThan = 1024 } },
                NoncurrentVersionExpiration = new LifecycleRuleNoncurrentVersionExpiration { NoncurrentDays = 30, NewerNoncurrentVersions = 3 },
                AbortIncompleteMultipartUpload = null,
            },
            new LifecycleRule
            {
                Id = "mpu",
                Status = LifecycleRuleStatus.Enabled,
                Filter = new LifecycleFilter { Prefix = "" },
                AbortIncompleteMultipartUpload = new LifecycleRuleAbortIncompleteMultipartUpload { DaysAfterInitiation = 2 },
                Expiration = new LifecycleRuleExpiration { ExpiredObjectDeleteMarker = true },
            });

        using (var raw = await Cluster.Wire.SendAsync(HttpMethod.Get, "/" + bucket, [("lifecycle", "")]))
        {
            var document = await S3Wire.XmlAsync(raw);
            var rules = document.Root!.Elements(S3Wire.Ns + "Rule").ToList();
            Assert.Equal("logs/", rules[0].Element(S3Wire.Ns + "Filter")!.Element(S3Wire.Ns + "Prefix")!.Value);
            Assert.Equal("cold", rules[1].Descendants(S3Wire.Ns + "Value").Single().Value);
        }

        var got = await Cluster.S3.GetLifecycleConfigurationAsync(bucket, Ct);
        Assert.Equal(["logs", "versions", "mpu"], got.Configuration.Rules.Select(r => r.Id));
        // The SDK reads filters into its predicate model.
        Assert.Equal("logs/", Assert.IsType<LifecyclePrefixPredicate>(got.Configuration.Rules[0].Filter.LifecycleFilterPredicate).Prefix);
        Assert.Equal(7, got.Configuration.Rules[0].Expiration.Days);
        var versions = got.Configuration.Rules[1];
        Assert.Equal(LifecycleRuleStatus.Disabled, versions.Status);
        var and = Assert.IsType<LifecycleAndOperator>(versions.Filter.LifecycleFilterPredicate);
        Assert.Equal("data/", and.Operands.OfType<LifecyclePrefixPredicate>().Single().Prefix);
        Assert.Equal("cold", and.Operands.OfType<LifecycleTagPredicate>().Single().Tag.Value);
        Assert.Equal(1024, and.Operands.OfType<LifecycleObjectSizeGreaterThanPredicate>().Single().ObjectSizeGreaterThan);
        Assert.Equal(30, versions.NoncurrentVersionExpiration.NoncurrentDays);
        Assert.Equal(3, versions.NoncurrentVersionExpiration.NewerNoncurrentVersions);
        Assert.Equal(2, got.Configuration.Rules[2].AbortIncompleteMultipartUpload.DaysAfterInitiation);
        Assert.True(got.Configuration.Rules[2].Expiration.ExpiredObjectDeleteMarker);

        await Cluster.S3.DeleteLifecycleConfigurationAsync(bucket, Ct);
        await AssertGetLifecycleFailsAsync(bucket, "NoSuchLifecycleConfiguration");
    }

    [Theory]
    [InlineData("<Rule><ID>a</ID><Filter/><Status>Enabled</Status><Expiration><Days>0</Days></Expiration></Rule>", "InvalidArgument")]
    [InlineData("<Rule><ID>a</ID><Filter/><Status>On</Status><Expiration><Days>1</Days></Expiration></Rule>", "MalformedXML")]
    [InlineData("<Rule><ID>a</ID><Filter/><Status>Enabled</Status></Rule>", "InvalidRequest")]
    [InlineData("<Rule><ID>a</ID><Filter/><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule><Rule><ID>a</ID><Filter/><Status>Enabled</Status><Expiration><Days>2</Days></Expiration></Rule>", "InvalidArgument")]
    [InlineData("<Rule><ID>a</ID><Filter/><Status>Enabled</Status><Expiration><Date>2030-01-01T12:00:00Z</Date></Expiration></Rule>", "InvalidArgument")]
    [InlineData("<Rule><ID>a</ID>", "MalformedXML")]
    public async Task PutLifecycle_InvalidDocument_AnswersAwsError(string rules, string code)
    {
        var bucket = await Cluster.CreateBucketAsync("lcbad");
        var body = Encoding.UTF8.GetBytes($"<LifecycleConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">{rules}</LifecycleConfiguration>");
        using var response = await Cluster.Wire.SendAsync(HttpMethod.Put, "/" + bucket, [("lifecycle", "")], body, [("Content-MD5", S3Wire.Md5Base64(body))]);
        await S3Assert.ErrorAsync(response, HttpStatusCode.BadRequest, code);
        await AssertGetLifecycleFailsAsync(bucket, "NoSuchLifecycleConfiguration");
    }

    [Fact]
    public async Task PutLifecycle_WithoutContentMd5_InvalidRequest_AndWrongMd5_BadDigest()
    {
        var bucket = await Cluster.CreateBucketAsync("lcmd5");
        var body = "<LifecycleConfiguration><Rule><ID>a</ID><Filter/><Status>Enabled</Status><Expiration><Days>1</Days></Expiration></Rule></LifecycleConfiguration>"u8.ToArray();
        using (var missing = await Cluster.Wire.SendAsync(HttpMethod.Put, "/" + bucket, [("lifecycle", "")], body))
        {
            await S3Assert.ErrorAsync(missing, HttpStatusCode.BadRequest, "InvalidRequest");
        }

        using (var wrong = await Cluster.Wire.SendAsync(HttpMethod.Put, "/" + bucket, [("lifecycle", "")], body, [("Content-MD5", S3Wire.Md5Base64("other"u8.ToArray()))]))
        {
            await S3Assert.ErrorAsync(wrong, HttpStatusCode.BadRequest, "BadDigest");
        }

        using var ok = await Cluster.Wire.SendAsync(HttpMethod.Put, "/" + bucket, [("lifecycle", "")], body, [("Content-MD5", S3Wire.Md5Base64(body))]);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task LifecycleOnMissingBucket_NoSuchBucket()
    {
        await AssertGetLifecycleFailsAsync("no-such-bucket-lc", "NoSuchBucket");
    }

    [Fact]
    public async Task GetAndHead_ObjectMatchedByExpirationRule_CarryExpirationHeader()
    {
        var bucket = await Cluster.CreateBucketAsync("lchdr");
        await PutRulesAsync(bucket, PrefixRule("short", "tmp/", 3), PrefixRule("long", "tmp/", 30));
        await PutObjectAsync(bucket, "tmp/a", "x");
        await PutObjectAsync(bucket, "other", "y");
        var lastModified = (await Cluster.S3.GetObjectMetadataAsync(bucket, "tmp/a", Ct)).LastModified!.Value.ToUniversalTime();
        var expected = lastModified.Date.AddDays(4);

        using var get = await Cluster.S3.GetObjectAsync(bucket, "tmp/a", Ct);
        Assert.Equal("short", get.Expiration.RuleId);
        Assert.Equal(expected, get.Expiration.ExpiryDate.ToUniversalTime());
        var head = await Cluster.S3.GetObjectMetadataAsync(bucket, "tmp/a", Ct);
        Assert.Equal("short", head.Expiration.RuleId);

        using var raw = await Cluster.Wire.SendAsync(HttpMethod.Head, $"/{bucket}/tmp/a");
        Assert.Equal($"expiry-date=\"{expected:r}\", rule-id=\"short\"", S3Wire.Header(raw, "x-amz-expiration"));
        using var unmatched = await Cluster.Wire.SendAsync(HttpMethod.Head, $"/{bucket}/other");
        Assert.Null(S3Wire.Header(unmatched, "x-amz-expiration"));
    }

    [Fact]
    public async Task Scanner_AfterClockMoves_ExpiresMatchingObjectsAndAbortsUploads()
    {
        var bucket = await Cluster.CreateBucketAsync("lce2e");
        for (var i = 0; i < 10; i++)
        {
            await PutObjectAsync(bucket, $"expire/{i}", new string('e', 1000 + i));
            await PutObjectAsync(bucket, $"keep/{i}", "k");
        }

        var upload = await Cluster.S3.InitiateMultipartUploadAsync(bucket, "expire/upload", Ct);
        await Cluster.S3.UploadPartAsync(new UploadPartRequest { BucketName = bucket, Key = "expire/upload", UploadId = upload.UploadId, PartNumber = 1, InputStream = new MemoryStream(new byte[100_000]) }, Ct);
        await PutRulesAsync(bucket,
            PrefixRule("soon", "expire/", 1),
            PrefixRule("later", "keep/", 10),
            new LifecycleRule
            {
                Id = "mpu",
                Status = LifecycleRuleStatus.Enabled,
                Filter = new LifecycleFilter { Prefix = "expire/" },
                AbortIncompleteMultipartUpload = new LifecycleRuleAbortIncompleteMultipartUpload { DaysAfterInitiation = 1 },
            });

        var first = await fixture.RunLifecycleAsync(Ct);
        Assert.True(first.CurrentExpired >= 10);
        Assert.True(first.UploadsAborted >= 1);
        var listed = await Cluster.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket }, Ct);
        Assert.Equal(Enumerable.Range(0, 10).Select(i => $"keep/{i}"), listed.S3Objects.Select(o => o.Key));
        var uploads = await Cluster.S3.ListMultipartUploadsAsync(bucket, Ct);
        Assert.Empty(uploads.MultipartUploads ?? []);
        await S3Assert.SdkErrorAsync(() => Cluster.S3.GetObjectMetadataAsync(bucket, "expire/3", Ct), HttpStatusCode.NotFound, "NotFound");

        var second = await fixture.RunLifecycleAsync(Ct);
        Assert.Equal(0, second.CurrentExpired + second.NoncurrentExpired + second.DeleteMarkersRemoved + second.UploadsAborted);
    }

    [Fact]
    public async Task Scanner_VersionedBucket_ExpiresCurrentWithDeleteMarkerKeepingVersions()
    {
        var bucket = await Cluster.CreateBucketAsync("lcver");
        await Cluster.S3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled } }, Ct);
        await PutObjectAsync(bucket, "doc", "v1");
        await PutObjectAsync(bucket, "doc", "v2");
        await PutRulesAsync(bucket, PrefixRule("cur", "doc", 1));

        await fixture.RunLifecycleAsync(Ct);

        var versions = await Cluster.S3.ListVersionsAsync(new ListVersionsRequest { BucketName = bucket }, Ct);
        Assert.Equal(3, versions.Versions.Count);
        Assert.True(versions.Versions[0].IsDeleteMarker);
        Assert.True(versions.Versions[0].IsLatest);
        await S3Assert.SdkErrorAsync(() => Cluster.S3.GetObjectMetadataAsync(bucket, "doc", Ct), HttpStatusCode.NotFound, "NotFound");
        using var old = await Cluster.S3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = "doc", VersionId = versions.Versions[1].VersionId }, Ct);
        Assert.Equal("v2", await new StreamReader(old.ResponseStream).ReadToEndAsync(Ct));
    }
}
