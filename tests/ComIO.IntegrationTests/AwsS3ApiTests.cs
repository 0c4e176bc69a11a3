using System.Security.Cryptography;
using System.Text.Json;
using ComIO.IntegrationTests.Infrastructure;

namespace ComIO.IntegrationTests;

/// <summary>The low-level <c>aws s3api</c> calls for the operations ComIO implements, against the running topology.</summary>
[Collection(TopologyCollection.Name)]
public sealed class AwsS3ApiTests(TopologyFixture topology)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task S3Api_ObjectCalls_BehaveAsOnAws()
    {
        Assert.SkipUnless(AwsCli.IsInstalled, "/usr/bin/aws is not installed (run `make setup`).");
        var bucket = "s3api-" + Guid.NewGuid().ToString("N")[..10];
        var dir = Path.Combine(Path.GetTempPath(), "comio-s3api-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var body = Path.Combine(dir, "body.bin");
        var data = RandomNumberGenerator.GetBytes(100_000);
        await File.WriteAllBytesAsync(body, data, Ct);
        try
        {
            await Json("s3api", "create-bucket", "--bucket", bucket);
            var location = await Json("s3api", "get-bucket-location", "--bucket", bucket);
            Assert.True(location.TryGetProperty("LocationConstraint", out _));

            var put = await Json("s3api", "put-object", "--bucket", bucket, "--key", "a b+c.bin", "--body", body,
                "--content-type", "application/x-test", "--metadata", "color=blue", "--checksum-algorithm", "SHA256");
            Assert.Equal($"\"{Convert.ToHexStringLower(MD5.HashData(data))}\"", put.GetProperty("ETag").GetString());
            Assert.Equal(Convert.ToBase64String(SHA256.HashData(data)), put.GetProperty("ChecksumSHA256").GetString());

            var head = await Json("s3api", "head-object", "--bucket", bucket, "--key", "a b+c.bin", "--checksum-mode", "ENABLED");
            Assert.Equal("application/x-test", head.GetProperty("ContentType").GetString());
            Assert.Equal("blue", head.GetProperty("Metadata").GetProperty("color").GetString());
            Assert.Equal(Convert.ToBase64String(SHA256.HashData(data)), head.GetProperty("ChecksumSHA256").GetString());

            var part = Path.Combine(dir, "range.bin");
            var ranged = await Json("s3api", "get-object", "--bucket", bucket, "--key", "a b+c.bin", "--range", "bytes=10-19", part);
            Assert.Equal("bytes 10-19/100000", ranged.GetProperty("ContentRange").GetString());
            Assert.Equal(data[10..20], await File.ReadAllBytesAsync(part, Ct));

            var notModified = await AwsCli.RunAsync(topology, Ct, "s3api", "get-object", "--bucket", bucket, "--key", "a b+c.bin",
                "--if-none-match", put.GetProperty("ETag").GetString()!, Path.Combine(dir, "nm.bin"));
            Assert.NotEqual(0, notModified.ExitCode);
            Assert.Contains("304", notModified.StdErr, StringComparison.Ordinal);

            await Json("s3api", "copy-object", "--bucket", bucket, "--key", "copy.bin", "--copy-source", $"{bucket}/a b+c.bin",
                "--metadata-directive", "REPLACE", "--content-type", "text/plain");
            var copied = await Json("s3api", "head-object", "--bucket", bucket, "--key", "copy.bin");
            Assert.Equal("text/plain", copied.GetProperty("ContentType").GetString());

            var listed = await Json("s3api", "list-objects-v2", "--bucket", bucket, "--max-keys", "1");
            Assert.Equal(1, listed.GetProperty("KeyCount").GetInt32());

            var upload = await Json("s3api", "create-multipart-upload", "--bucket", bucket, "--key", "mp.bin");
            var uploadId = upload.GetProperty("UploadId").GetString()!;
            var partFile = Path.Combine(dir, "part.bin");
            await File.WriteAllBytesAsync(partFile, RandomNumberGenerator.GetBytes(5 * 1024 * 1024), Ct);
            var p1 = await Json("s3api", "upload-part", "--bucket", bucket, "--key", "mp.bin", "--upload-id", uploadId, "--part-number", "1", "--body", partFile);
            var p2 = await Json("s3api", "upload-part-copy", "--bucket", bucket, "--key", "mp.bin", "--upload-id", uploadId, "--part-number", "2",
                "--copy-source", $"{bucket}/a b+c.bin", "--copy-source-range", "bytes=0-999");
            var parts = await Json("s3api", "list-parts", "--bucket", bucket, "--key", "mp.bin", "--upload-id", uploadId);
            Assert.Equal(2, parts.GetProperty("Parts").GetArrayLength());
            var manifest = Path.Combine(dir, "parts.json");
            await File.WriteAllTextAsync(manifest, JsonSerializer.Serialize(new
            {
                Parts = new object[]
                {
                    new { PartNumber = 1, ETag = p1.GetProperty("ETag").GetString() },
                    new { PartNumber = 2, ETag = p2.GetProperty("CopyPartResult").GetProperty("ETag").GetString() },
                },
            }), Ct);
            var completed = await Json("s3api", "complete-multipart-upload", "--bucket", bucket, "--key", "mp.bin", "--upload-id", uploadId,
                "--multipart-upload", $"file://{manifest}");
            Assert.EndsWith("-2\"", completed.GetProperty("ETag").GetString(), StringComparison.Ordinal);
            var mpHead = await Json("s3api", "head-object", "--bucket", bucket, "--key", "mp.bin");
            Assert.Equal(5 * 1024 * 1024 + 1000, mpHead.GetProperty("ContentLength").GetInt64());

            var abandoned = await Json("s3api", "create-multipart-upload", "--bucket", bucket, "--key", "abandoned.bin");
            await Json("s3api", "abort-multipart-upload", "--bucket", bucket, "--key", "abandoned.bin", "--upload-id", abandoned.GetProperty("UploadId").GetString()!);
            var uploads = await Json("s3api", "list-multipart-uploads", "--bucket", bucket);
            Assert.False(uploads.ValueKind == JsonValueKind.Object && uploads.TryGetProperty("Uploads", out var remaining) && remaining.GetArrayLength() > 0);

            var deleted = await Json("s3api", "delete-objects", "--bucket", bucket, "--delete", "{\"Objects\":[{\"Key\":\"a b+c.bin\"},{\"Key\":\"copy.bin\"},{\"Key\":\"mp.bin\"},{\"Key\":\"never-existed\"}]}");
            Assert.Equal(4, deleted.GetProperty("Deleted").GetArrayLength());
            await AwsCli.RunAsync(topology, Ct, "s3api", "delete-bucket", "--bucket", bucket);
            var gone = await AwsCli.RunAsync(topology, Ct, "s3api", "head-bucket", "--bucket", bucket);
            Assert.Contains("404", gone.StdErr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private async Task<JsonElement> Json(params string[] args)
    {
        var (code, stdout, stderr) = await AwsCli.RunAsync(topology, Ct, args);
        Assert.True(code == 0, $"aws {string.Join(' ', args)} exited {code}: {stderr}");
        return string.IsNullOrWhiteSpace(stdout) ? default : JsonDocument.Parse(stdout).RootElement.Clone();
    }
}
