using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using ComIO.IntegrationTests.Infrastructure;

namespace ComIO.IntegrationTests.RealClients;

/// <summary>
/// Server-side encryption on the whole topology through the real clients: <c>/usr/bin/aws</c> (s3 and s3api), boto3 and
/// AWSSDK.S3, plus a grep of the storage nodes' device images for a known plaintext pattern.
/// </summary>
[Collection(TopologyCollection.Name)]
public sealed class EncryptionRealClientTests(TopologyFixture topology)
{
    private const string Python = "/usr/bin/python3";
    private const string CustomerKey = "0123456789abcdefghijklmnopqrstuv"; // 32 bytes, as the aws CLI v1 takes it

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AwsCli_SseS3AndSseC_PutGetHeadCopyMultipartRange()
    {
        Assert.SkipUnless(AwsCli.IsInstalled, "/usr/bin/aws is not installed (run `make setup`).");
        var bucket = "cli-sse-" + Guid.NewGuid().ToString("N")[..8];
        var root = Path.Combine(Path.GetTempPath(), "comio-cli-sse-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        var small = RandomNumberGenerator.GetBytes(700_000);
        var big = RandomNumberGenerator.GetBytes(20 * 1024 * 1024); // above the CLI's 8 MiB multipart threshold
        await File.WriteAllBytesAsync(Path.Combine(root, "small"), small, Ct);
        await File.WriteAllBytesAsync(Path.Combine(root, "big"), big, Ct);
        try
        {
            await Expect("s3", "mb", $"s3://{bucket}");
            await Expect("s3", "cp", Path.Combine(root, "small"), $"s3://{bucket}/s3/small", "--sse", "AES256");
            await Expect("s3", "cp", Path.Combine(root, "big"), $"s3://{bucket}/s3/big", "--sse", "AES256");
            await Expect("s3", "cp", Path.Combine(root, "big"), $"s3://{bucket}/c/big", "--sse-c", "AES256", "--sse-c-key", CustomerKey);

            var head = JsonDocument.Parse(await Expect("s3api", "head-object", "--bucket", bucket, "--key", "s3/small")).RootElement;
            Assert.Equal("AES256", head.GetProperty("ServerSideEncryption").GetString());
            Assert.Equal($"\"{Convert.ToHexStringLower(MD5.HashData(small))}\"", head.GetProperty("ETag").GetString());
            var mpHead = JsonDocument.Parse(await Expect("s3api", "head-object", "--bucket", bucket, "--key", "s3/big")).RootElement;
            Assert.Equal("AES256", mpHead.GetProperty("ServerSideEncryption").GetString());
            Assert.EndsWith("-3\"", mpHead.GetProperty("ETag").GetString(), StringComparison.Ordinal);

            await Expect("s3", "cp", $"s3://{bucket}/s3/big", Path.Combine(root, "big.s3"));
            Assert.Equal(big, await File.ReadAllBytesAsync(Path.Combine(root, "big.s3"), Ct));
            await Expect("s3", "cp", $"s3://{bucket}/c/big", Path.Combine(root, "big.c"), "--sse-c", "AES256", "--sse-c-key", CustomerKey);
            Assert.Equal(big, await File.ReadAllBytesAsync(Path.Combine(root, "big.c"), Ct));

            // Without the customer key (or with another one) the SSE-C object is refused.
            var noKey = await AwsCli.RunAsync(topology, Ct, "s3api", "head-object", "--bucket", bucket, "--key", "c/big");
            Assert.NotEqual(0, noKey.ExitCode);
            Assert.Contains("400", noKey.StdErr, StringComparison.Ordinal);
            var wrongKey = await AwsCli.RunAsync(topology, Ct, "s3api", "get-object", "--bucket", bucket, "--key", "c/big",
                "--sse-customer-algorithm", "AES256", "--sse-customer-key", "vutsrqponmlkjihgfedcba9876543210", Path.Combine(root, "nope"));
            Assert.NotEqual(0, wrongKey.ExitCode);
            Assert.Contains("AccessDenied", wrongKey.StdErr, StringComparison.Ordinal);

            var cHead = JsonDocument.Parse(await Expect("s3api", "head-object", "--bucket", bucket, "--key", "c/big",
                "--sse-customer-algorithm", "AES256", "--sse-customer-key", CustomerKey)).RootElement;
            Assert.Equal("AES256", cHead.GetProperty("SSECustomerAlgorithm").GetString());

            // Range read of the SSE-C multipart object across a part boundary.
            var rangeFile = Path.Combine(root, "range");
            await Expect("s3api", "get-object", "--bucket", bucket, "--key", "c/big", "--range", "bytes=8388000-8389000",
                "--sse-customer-algorithm", "AES256", "--sse-customer-key", CustomerKey, rangeFile);
            Assert.Equal(big[8_388_000..8_389_001], await File.ReadAllBytesAsync(rangeFile, Ct));

            // Copy SSE-C -> SSE-S3 (re-encrypted) and read back.
            await Expect("s3", "cp", $"s3://{bucket}/c/big", $"s3://{bucket}/copied", "--sse-c-copy-source", "AES256", "--sse-c-copy-source-key", CustomerKey, "--sse", "AES256");
            await Expect("s3", "cp", $"s3://{bucket}/copied", Path.Combine(root, "copied"));
            Assert.Equal(big, await File.ReadAllBytesAsync(Path.Combine(root, "copied"), Ct));

            // SSE-KMS with the default key (aws/s3), read back and headed.
            await Expect("s3", "cp", Path.Combine(root, "small"), $"s3://{bucket}/kms/small", "--sse", "aws:kms");
            var kmsHead = JsonDocument.Parse(await Expect("s3api", "head-object", "--bucket", bucket, "--key", "kms/small")).RootElement;
            Assert.Equal("aws:kms", kmsHead.GetProperty("ServerSideEncryption").GetString());
            await Expect("s3", "cp", $"s3://{bucket}/kms/small", Path.Combine(root, "small.kms"));
            Assert.Equal(small, await File.ReadAllBytesAsync(Path.Combine(root, "small.kms"), Ct));

            await Expect("s3", "rm", $"s3://{bucket}", "--recursive");
            await Expect("s3", "rb", $"s3://{bucket}");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private const string Script = """
        import base64, hashlib, json, os
        import boto3
        from botocore.config import Config
        from botocore.exceptions import ClientError

        bucket = os.environ['COMIO_BUCKET']
        s3 = boto3.client('s3', endpoint_url=os.environ['COMIO_ENDPOINT'], aws_access_key_id=os.environ['COMIO_ACCESS_KEY'],
                          aws_secret_access_key=os.environ['COMIO_SECRET_KEY'], region_name='us-east-1',
                          config=Config(signature_version='s3v4', s3={'addressing_style': 'path'}, retries={'max_attempts': 1}))
        key = os.environ['COMIO_SSE_C_KEY'].encode()
        ssec = {'SSECustomerAlgorithm': 'AES256', 'SSECustomerKey': key}
        out = {}
        def code(call):
            try:
                call()
                return None
            except ClientError as e:
                return e.response['ResponseMetadata']['HTTPStatusCode']

        s3.create_bucket(Bucket=bucket)
        data = os.urandom(300000)
        md5 = hashlib.md5(data).hexdigest()

        put = s3.put_object(Bucket=bucket, Key='s3', Body=data, ServerSideEncryption='AES256')
        get = s3.get_object(Bucket=bucket, Key='s3')
        head = s3.head_object(Bucket=bucket, Key='s3')
        rng = s3.get_object(Bucket=bucket, Key='s3', Range='bytes=1000-70999')
        out['s3'] = {'put_sse': put.get('ServerSideEncryption'), 'etag_is_md5': put['ETag'] == '"%s"' % md5,
                     'get_ok': get['Body'].read() == data, 'get_sse': get.get('ServerSideEncryption'),
                     'head_sse': head.get('ServerSideEncryption'), 'range_ok': rng['Body'].read() == data[1000:71000]}

        putc = s3.put_object(Bucket=bucket, Key='c', Body=data, **ssec)
        getc = s3.get_object(Bucket=bucket, Key='c', **ssec)
        headc = s3.head_object(Bucket=bucket, Key='c', **ssec)
        rngc = s3.get_object(Bucket=bucket, Key='c', Range='bytes=-5000', **ssec)
        out['c'] = {'put_alg': putc.get('SSECustomerAlgorithm'), 'etag_is_md5': putc['ETag'] == '"%s"' % md5,
                    'get_ok': getc['Body'].read() == data, 'head_alg': headc.get('SSECustomerAlgorithm'),
                    'range_ok': rngc['Body'].read() == data[-5000:],
                    'no_key': code(lambda: s3.get_object(Bucket=bucket, Key='c')),
                    'wrong_key': code(lambda: s3.get_object(Bucket=bucket, Key='c', SSECustomerAlgorithm='AES256', SSECustomerKey=b'x' * 32))}

        part1 = os.urandom(5 * 1024 * 1024)
        part2 = os.urandom(4321)
        for mode, extra in (('s3', {'ServerSideEncryption': 'AES256'}), ('c', ssec)):
            up = s3.create_multipart_upload(Bucket=bucket, Key='mp-' + mode, **extra)
            part_extra = ssec if mode == 'c' else {}
            e1 = s3.upload_part(Bucket=bucket, Key='mp-' + mode, UploadId=up['UploadId'], PartNumber=1, Body=part1, **part_extra)['ETag']
            e2 = s3.upload_part(Bucket=bucket, Key='mp-' + mode, UploadId=up['UploadId'], PartNumber=2, Body=part2, **part_extra)['ETag']
            done = s3.complete_multipart_upload(Bucket=bucket, Key='mp-' + mode, UploadId=up['UploadId'],
                                                MultipartUpload={'Parts': [{'PartNumber': 1, 'ETag': e1}, {'PartNumber': 2, 'ETag': e2}]})
            body = s3.get_object(Bucket=bucket, Key='mp-' + mode, **part_extra)['Body'].read()
            head = s3.head_object(Bucket=bucket, Key='mp-' + mode, **part_extra)
            out['mp_' + mode] = {'ok': body == part1 + part2, 'sse': done.get('ServerSideEncryption'), 'alg': head.get('SSECustomerAlgorithm'),
                                 'head_sse': head.get('ServerSideEncryption')}

        s3.copy_object(Bucket=bucket, Key='c-to-s3', CopySource={'Bucket': bucket, 'Key': 'c'}, ServerSideEncryption='AES256',
                       CopySourceSSECustomerAlgorithm='AES256', CopySourceSSECustomerKey=key)
        s3.copy_object(Bucket=bucket, Key='s3-to-c', CopySource={'Bucket': bucket, 'Key': 's3'}, **ssec)
        out['copy'] = {'c_to_s3': s3.get_object(Bucket=bucket, Key='c-to-s3')['Body'].read() == data,
                       'c_to_s3_sse': s3.head_object(Bucket=bucket, Key='c-to-s3').get('ServerSideEncryption'),
                       's3_to_c': s3.get_object(Bucket=bucket, Key='s3-to-c', **ssec)['Body'].read() == data}
        kms = s3.put_object(Bucket=bucket, Key='kms', Body=data, ServerSideEncryption='aws:kms')
        kms_get = s3.get_object(Bucket=bucket, Key='kms', Range='bytes=10-20009')
        out['kms'] = {'sse': kms.get('ServerSideEncryption'), 'key': kms.get('SSEKMSKeyId'), 'etag_is_md5': kms['ETag'] == '"%s"' % md5,
                      'range_ok': kms_get['Body'].read() == data[10:20010], 'get_sse': kms_get.get('ServerSideEncryption')}
        print(json.dumps(out))
        """;

    [Fact]
    public async Task Boto3_SseS3AndSseC_PutGetHeadRangeMultipartCopy()
    {
        Assert.SkipUnless(File.Exists(Python), "/usr/bin/python3 is not installed (run `make setup`).");
        var run = await ExternalProcess.RunAsync(Python, ["-"], new Dictionary<string, string>
        {
            ["COMIO_ENDPOINT"] = topology.S3Endpoint.ToString().TrimEnd('/'),
            ["COMIO_ACCESS_KEY"] = TopologyFixture.AccessKey,
            ["COMIO_SECRET_KEY"] = TopologyFixture.SecretKey,
            ["COMIO_BUCKET"] = "boto-sse-" + Guid.NewGuid().ToString("N")[..8],
            ["COMIO_SSE_C_KEY"] = CustomerKey,
            ["AWS_CONFIG_FILE"] = "/dev/null",
            ["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null",
            ["NO_PROXY"] = "*",
        }, TimeSpan.FromMinutes(2), Ct, standardInput: Script);
        Assert.True(run.ExitCode == 0, run.Describe("python3 boto3 SSE script"));
        var o = JsonDocument.Parse(run.StdOut).RootElement;

        var s3 = o.GetProperty("s3");
        Assert.Equal("AES256", s3.GetProperty("put_sse").GetString());
        Assert.True(s3.GetProperty("etag_is_md5").GetBoolean());
        Assert.True(s3.GetProperty("get_ok").GetBoolean());
        Assert.Equal("AES256", s3.GetProperty("get_sse").GetString());
        Assert.Equal("AES256", s3.GetProperty("head_sse").GetString());
        Assert.True(s3.GetProperty("range_ok").GetBoolean());

        var c = o.GetProperty("c");
        Assert.Equal("AES256", c.GetProperty("put_alg").GetString());
        Assert.False(c.GetProperty("etag_is_md5").GetBoolean());
        Assert.True(c.GetProperty("get_ok").GetBoolean());
        Assert.Equal("AES256", c.GetProperty("head_alg").GetString());
        Assert.True(c.GetProperty("range_ok").GetBoolean());
        Assert.Equal(400, c.GetProperty("no_key").GetInt32());
        Assert.Equal(403, c.GetProperty("wrong_key").GetInt32());

        Assert.True(o.GetProperty("mp_s3").GetProperty("ok").GetBoolean());
        Assert.Equal("AES256", o.GetProperty("mp_s3").GetProperty("sse").GetString());
        Assert.True(o.GetProperty("mp_c").GetProperty("ok").GetBoolean());
        Assert.Equal("AES256", o.GetProperty("mp_c").GetProperty("alg").GetString());
        Assert.Equal("AES256", o.GetProperty("mp_s3").GetProperty("head_sse").GetString());

        var kms = o.GetProperty("kms");
        Assert.Equal("aws:kms", kms.GetProperty("sse").GetString());
        Assert.EndsWith(":key/default", kms.GetProperty("key").GetString(), StringComparison.Ordinal);
        Assert.False(kms.GetProperty("etag_is_md5").GetBoolean());
        Assert.True(kms.GetProperty("range_ok").GetBoolean());
        Assert.Equal("aws:kms", kms.GetProperty("get_sse").GetString());

        var copy = o.GetProperty("copy");
        Assert.True(copy.GetProperty("c_to_s3").GetBoolean());
        Assert.Equal("AES256", copy.GetProperty("c_to_s3_sse").GetString());
        Assert.True(copy.GetProperty("s3_to_c").GetBoolean());
    }

    [Fact]
    public async Task DeviceImages_HoldNoPlaintextOfEncryptedObjects_ButDoOfTheControl()
    {
        using var s3 = topology.CreateClient();
        var bucket = "grep-sse-" + Guid.NewGuid().ToString("N")[..8];
        await s3.PutBucketAsync(bucket, Ct);
        var marker = $"COMIO-TOPOLOGY-SSE-MARKER-{Guid.NewGuid():N}|";
        var data = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat(marker, 400_000 / marker.Length)));
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "secret", InputStream = new MemoryStream(data), ServerSideEncryptionMethod = ServerSideEncryptionMethod.AES256 }, Ct);
        var customer = Convert.ToBase64String(Encoding.ASCII.GetBytes(CustomerKey));
        await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = "secret-c",
            InputStream = new MemoryStream(data),
            ServerSideEncryptionCustomerMethod = ServerSideEncryptionCustomerMethod.AES256,
            ServerSideEncryptionCustomerProvidedKey = customer,
            ServerSideEncryptionCustomerProvidedKeyMD5 = Convert.ToBase64String(MD5.HashData(Encoding.ASCII.GetBytes(CustomerKey))),
        }, Ct);
        var siteData = Path.Combine(topology.DataDirectory, TopologyFixture.Site);
        Assert.False(await GrepAsync(siteData, marker), "plaintext of an encrypted object is in the site's data directory");

        await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = "control", InputStream = new MemoryStream(data) }, Ct);
        Assert.True(await GrepAsync(siteData, marker), "the unencrypted control object must be found (the check works)");
    }

    private static async Task<bool> GrepAsync(string directory, string marker)
    {
        var run = await ExternalProcess.RunAsync("/usr/bin/grep", ["-rqaF", "--", marker, directory], new Dictionary<string, string>(), TimeSpan.FromMinutes(2), Ct);
        return run.ExitCode switch
        {
            0 => true,
            1 => false,
            _ => throw new InvalidOperationException(run.Describe("grep")),
        };
    }

    private async Task<string> Expect(params string[] args)
    {
        var (code, stdout, stderr) = await AwsCli.RunAsync(topology, Ct, args);
        Assert.True(code == 0, $"aws {string.Join(' ', args)} exited {code}: {stderr}");
        return stdout;
    }
}
