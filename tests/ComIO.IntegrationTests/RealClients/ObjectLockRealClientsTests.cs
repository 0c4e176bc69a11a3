using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using ComIO.IntegrationTests.Infrastructure;

namespace ComIO.IntegrationTests.RealClients;

/// <summary>
/// Object Lock writes from real clients on the running topology. ComIO, as AWS, requires Content-MD5 or a checksum on a
/// PutObject / UploadPart with Object Lock parameters (explicit, or a bucket default retention); these tests prove that
/// <c>AWSSDK.S3</c>, <c>/usr/bin/aws</c> (<c>s3api</c> and <c>s3 cp</c>) and boto3 send one by default, so their lock
/// writes succeed and the version carries the lock.
/// </summary>
[Collection(TopologyCollection.Name)]
public sealed class ObjectLockRealClientsTests(TopologyFixture topology)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Until => DateTime.UtcNow.AddDays(1).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Sdk_LockedPutsAndMultipart_Succeed()
    {
        using var s3 = topology.CreateClient();
        var bucket = "sdk-lock-" + Guid.NewGuid().ToString("N")[..10];
        await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket, ObjectLockEnabledForBucket = true }, Ct);
        var data = RandomNumberGenerator.GetBytes(20_000);
        await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = "explicit",
            InputStream = new MemoryStream(data),
            ObjectLockMode = ObjectLockMode.Governance,
            ObjectLockRetainUntilDate = DateTime.UtcNow.AddDays(1),
            ObjectLockLegalHoldStatus = ObjectLockLegalHoldStatus.On,
        }, Ct);
        var head = await s3.GetObjectMetadataAsync(bucket, "explicit", Ct);
        Assert.Equal(ObjectLockMode.Governance, head.ObjectLockMode);
        Assert.Equal(ObjectLockLegalHoldStatus.On, head.ObjectLockLegalHoldStatus);

        var upload = await s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = "mp", ObjectLockMode = ObjectLockMode.Governance, ObjectLockRetainUntilDate = DateTime.UtcNow.AddDays(1) }, Ct);
        var part = await s3.UploadPartAsync(new UploadPartRequest { BucketName = bucket, Key = "mp", UploadId = upload.UploadId, PartNumber = 1, InputStream = new MemoryStream(data) }, Ct);
        var done = await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = bucket, Key = "mp", UploadId = upload.UploadId, PartETags = [new PartETag(1, part.ETag)] }, Ct);
        var retention = await s3.GetObjectRetentionAsync(new GetObjectRetentionRequest { BucketName = bucket, Key = "mp", VersionId = done.VersionId }, Ct);
        Assert.Equal(ObjectLockRetentionMode.Governance, retention.Retention.Mode);
        using var get = await s3.GetObjectAsync(bucket, "mp", Ct);
        using var buffer = new MemoryStream();
        await get.ResponseStream.CopyToAsync(buffer, Ct);
        Assert.Equal(data, buffer.ToArray());
    }

    [Fact]
    public async Task AwsCli_LockedPutsIntoExplicitAndDefaultRetention_Succeed()
    {
        Assert.SkipUnless(AwsCli.IsInstalled, "/usr/bin/aws is not installed (run `make setup`).");
        var bucket = "s3api-lock-" + Guid.NewGuid().ToString("N")[..10];
        var file = Path.Combine(Path.GetTempPath(), "comio-lock-" + Guid.NewGuid().ToString("N"));
        await File.WriteAllBytesAsync(file, RandomNumberGenerator.GetBytes(10_000), Ct);
        try
        {
            await Json("s3api", "create-bucket", "--bucket", bucket, "--object-lock-enabled-for-bucket");
            await Json("s3api", "put-object", "--bucket", bucket, "--key", "explicit", "--body", file,
                "--object-lock-mode", "GOVERNANCE", "--object-lock-retain-until-date", Until, "--object-lock-legal-hold-status", "ON");
            var head = await Json("s3api", "head-object", "--bucket", bucket, "--key", "explicit");
            Assert.Equal("GOVERNANCE", head.GetProperty("ObjectLockMode").GetString());
            Assert.Equal("ON", head.GetProperty("ObjectLockLegalHoldStatus").GetString());

            await Json("s3api", "put-object-lock-configuration", "--bucket", bucket, "--object-lock-configuration",
                """{"ObjectLockEnabled":"Enabled","Rule":{"DefaultRetention":{"Mode":"GOVERNANCE","Days":1}}}""");
            await Json("s3api", "put-object", "--bucket", bucket, "--key", "defaulted", "--body", file);
            var copy = await AwsCli.RunAsync(topology, Ct, "s3", "cp", file, $"s3://{bucket}/copied");
            Assert.True(copy.ExitCode == 0, $"aws s3 cp exited {copy.ExitCode}: {copy.StdErr}");
            foreach (var key in new[] { "defaulted", "copied" })
            {
                Assert.Equal("GOVERNANCE", (await Json("s3api", "head-object", "--bucket", bucket, "--key", key)).GetProperty("ObjectLockMode").GetString());
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Boto3_LockedPutAndLockCalls_Succeed()
    {
        const string script = """
            import json, os, boto3
            from datetime import datetime, timedelta, timezone
            from botocore.config import Config
            s3 = boto3.client('s3', endpoint_url=os.environ['COMIO_ENDPOINT'], aws_access_key_id=os.environ['COMIO_ACCESS_KEY'],
                              aws_secret_access_key=os.environ['COMIO_SECRET_KEY'], region_name='us-east-1',
                              config=Config(signature_version='s3v4', s3={'addressing_style': 'path'}, retries={'max_attempts': 1}))
            bucket = os.environ['COMIO_BUCKET']
            until = datetime.now(timezone.utc) + timedelta(days=1)
            s3.create_bucket(Bucket=bucket, ObjectLockEnabledForBucket=True)
            put = s3.put_object(Bucket=bucket, Key='k', Body=b'locked by boto3', ObjectLockMode='GOVERNANCE', ObjectLockRetainUntilDate=until)
            s3.put_object_legal_hold(Bucket=bucket, Key='k', VersionId=put['VersionId'], LegalHold={'Status': 'ON'})
            s3.put_object_retention(Bucket=bucket, Key='k', VersionId=put['VersionId'], Retention={'Mode': 'GOVERNANCE', 'RetainUntilDate': until + timedelta(days=1)})
            head = s3.head_object(Bucket=bucket, Key='k')
            print(json.dumps({'mode': head.get('ObjectLockMode'), 'hold': head.get('ObjectLockLegalHoldStatus'),
                              'body': s3.get_object(Bucket=bucket, Key='k')['Body'].read().decode()}))
            """;
        var run = await ExternalProcess.RunAsync("/usr/bin/python3", ["-"], new Dictionary<string, string>
        {
            ["COMIO_ENDPOINT"] = topology.S3Endpoint.ToString().TrimEnd('/'),
            ["COMIO_ACCESS_KEY"] = TopologyFixture.AccessKey,
            ["COMIO_SECRET_KEY"] = TopologyFixture.SecretKey,
            ["COMIO_BUCKET"] = "boto3-lock-" + Guid.NewGuid().ToString("N")[..10],
            ["AWS_CONFIG_FILE"] = "/dev/null",
            ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null",
            ["NO_PROXY"] = "*",
        }, TimeSpan.FromMinutes(2), Ct, standardInput: script);
        Assert.True(run.ExitCode == 0, run.Describe("python3 boto3 object lock script"));
        using var json = JsonDocument.Parse(run.StdOut);
        Assert.Equal("GOVERNANCE", json.RootElement.GetProperty("mode").GetString());
        Assert.Equal("ON", json.RootElement.GetProperty("hold").GetString());
        Assert.Equal("locked by boto3", json.RootElement.GetProperty("body").GetString());
    }

    private async Task<JsonElement> Json(params string[] args)
    {
        var (code, stdout, stderr) = await AwsCli.RunAsync(topology, Ct, args);
        Assert.True(code == 0, $"aws {string.Join(' ', args)} exited {code}: {stderr}");
        return string.IsNullOrWhiteSpace(stdout) ? default : JsonDocument.Parse(stdout).RootElement.Clone();
    }
}
