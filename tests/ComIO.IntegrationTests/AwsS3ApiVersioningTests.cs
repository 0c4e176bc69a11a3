using System.Security.Cryptography;
using System.Text.Json;
using ComIO.IntegrationTests.Infrastructure;

namespace ComIO.IntegrationTests;

/// <summary>Bucket versioning through <c>aws s3api</c> against the running topology: the byte-exact version flow.</summary>
[Collection(TopologyCollection.Name)]
public sealed class AwsS3ApiVersioningTests(TopologyFixture topology)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task S3Api_OverwriteDeleteListGetEachVersionAndRestore_IsByteExact()
    {
        Assert.SkipUnless(AwsCli.IsInstalled, "/usr/bin/aws is not installed (run `make setup`).");
        var bucket = "s3api-ver-" + Guid.NewGuid().ToString("N")[..10];
        var dir = Path.Combine(Path.GetTempPath(), "comio-s3api-ver-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            await Json("s3api", "create-bucket", "--bucket", bucket);
            await Json("s3api", "put-bucket-versioning", "--bucket", bucket, "--versioning-configuration", "Status=Enabled");
            Assert.Equal("Enabled", (await Json("s3api", "get-bucket-versioning", "--bucket", bucket)).GetProperty("Status").GetString());

            var bodies = new List<byte[]>();
            var ids = new List<string>();
            foreach (var size in new[] { 1000, 3 * 1024 * 1024 + 5, 17 })
            {
                var data = RandomNumberGenerator.GetBytes(size);
                var file = Path.Combine(dir, $"v{bodies.Count}.bin");
                await File.WriteAllBytesAsync(file, data, Ct);
                var put = await Json("s3api", "put-object", "--bucket", bucket, "--key", "dir/doc.bin", "--body", file);
                bodies.Add(data);
                ids.Add(put.GetProperty("VersionId").GetString()!);
            }

            var deleted = await Json("s3api", "delete-object", "--bucket", bucket, "--key", "dir/doc.bin");
            Assert.True(deleted.GetProperty("DeleteMarker").GetBoolean());
            var markerId = deleted.GetProperty("VersionId").GetString()!;

            var listed = await Json("s3api", "list-object-versions", "--bucket", bucket);
            var versions = listed.GetProperty("Versions").EnumerateArray().ToList();
            Assert.Equal(ids.AsEnumerable().Reverse(), versions.Select(v => v.GetProperty("VersionId").GetString()));
            Assert.All(versions, v => Assert.False(v.GetProperty("IsLatest").GetBoolean()));
            var marker = Assert.Single(listed.GetProperty("DeleteMarkers").EnumerateArray());
            Assert.Equal(markerId, marker.GetProperty("VersionId").GetString());
            Assert.True(marker.GetProperty("IsLatest").GetBoolean());

            var current = await AwsCli.RunAsync(topology, Ct, "s3api", "get-object", "--bucket", bucket, "--key", "dir/doc.bin", Path.Combine(dir, "none.bin"));
            Assert.NotEqual(0, current.ExitCode);
            Assert.Contains("NoSuchKey", current.StdErr, StringComparison.Ordinal);

            for (var i = 0; i < ids.Count; i++)
            {
                var output = Path.Combine(dir, $"get{i}.bin");
                var got = await Json("s3api", "get-object", "--bucket", bucket, "--key", "dir/doc.bin", "--version-id", ids[i], output);
                Assert.Equal(ids[i], got.GetProperty("VersionId").GetString());
                Assert.Equal(bodies[i], await File.ReadAllBytesAsync(output, Ct));
            }

            var restored = await Json("s3api", "copy-object", "--bucket", bucket, "--key", "dir/doc.bin", "--copy-source", $"{bucket}/dir/doc.bin?versionId={ids[1]}");
            Assert.Equal(ids[1], restored.GetProperty("CopySourceVersionId").GetString());
            var restoredFile = Path.Combine(dir, "restored.bin");
            await Json("s3api", "get-object", "--bucket", bucket, "--key", "dir/doc.bin", restoredFile);
            Assert.Equal(bodies[1], await File.ReadAllBytesAsync(restoredFile, Ct));

            // Empty the bucket version by version, then delete it.
            var all = await Json("s3api", "list-object-versions", "--bucket", bucket);
            var toDelete = all.GetProperty("Versions").EnumerateArray().Concat(all.GetProperty("DeleteMarkers").EnumerateArray())
                .Select(v => new { Key = v.GetProperty("Key").GetString(), VersionId = v.GetProperty("VersionId").GetString() }).ToArray();
            Assert.Equal(5, toDelete.Length);
            var notEmpty = await AwsCli.RunAsync(topology, Ct, "s3api", "delete-bucket", "--bucket", bucket);
            Assert.Contains("BucketNotEmpty", notEmpty.StdErr, StringComparison.Ordinal);
            var result = await Json("s3api", "delete-objects", "--bucket", bucket, "--delete", JsonSerializer.Serialize(new { Objects = toDelete }));
            Assert.Equal(5, result.GetProperty("Deleted").GetArrayLength());
            await Json("s3api", "delete-bucket", "--bucket", bucket);
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
