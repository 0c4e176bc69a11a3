using System.Text.Json;
using Aspire.Hosting.Testing;
using ComIO.IntegrationTests.Infrastructure;

namespace ComIO.IntegrationTests;

/// <summary>
/// Bucket lifecycle configuration through <c>aws s3api</c> against the running topology: put (the CLI sends the required
/// checksum), get, <c>Expiration</c> on head-object, validation errors, delete — and the expiry itself: the nodes run
/// with <see cref="TopologyFixture.LifecycleTimeOffset"/> (10 days), the test triggers every node's scanner, and the
/// object a 7-day rule matches is gone while the one outside the rule's prefix stays.
/// </summary>
[Collection(TopologyCollection.Name)]
public sealed class AwsS3ApiLifecycleTests(TopologyFixture topology)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task S3Api_PutGetHeadDeleteLifecycleConfiguration_Works()
    {
        Assert.SkipUnless(AwsCli.IsInstalled, "/usr/bin/aws is not installed (run `make setup`).");
        var bucket = "s3api-lc-" + Guid.NewGuid().ToString("N")[..10];
        var dir = Path.Combine(Path.GetTempPath(), "comio-s3api-lc-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            await Json("s3api", "create-bucket", "--bucket", bucket);
            var configuration = JsonSerializer.Serialize(new
            {
                Rules = new object[]
                {
                    new { ID = "tmp", Status = "Enabled", Filter = new { Prefix = "tmp/" }, Expiration = new { Days = 7 } },
                    new { ID = "mpu", Status = "Enabled", Filter = new { Prefix = "" }, AbortIncompleteMultipartUpload = new { DaysAfterInitiation = 2 } },
                },
            });
            await Json("s3api", "put-bucket-lifecycle-configuration", "--bucket", bucket, "--lifecycle-configuration", configuration);

            var got = await Json("s3api", "get-bucket-lifecycle-configuration", "--bucket", bucket);
            var rules = got.GetProperty("Rules").EnumerateArray().ToList();
            Assert.Equal(["tmp", "mpu"], rules.Select(r => r.GetProperty("ID").GetString()));
            Assert.Equal(7, rules[0].GetProperty("Expiration").GetProperty("Days").GetInt32());
            Assert.Equal(2, rules[1].GetProperty("AbortIncompleteMultipartUpload").GetProperty("DaysAfterInitiation").GetInt32());

            var file = Path.Combine(dir, "a.txt");
            await File.WriteAllTextAsync(file, "expiring", Ct);
            await Json("s3api", "put-object", "--bucket", bucket, "--key", "tmp/a.txt", "--body", file);
            var head = await Json("s3api", "head-object", "--bucket", bucket, "--key", "tmp/a.txt");
            Assert.Contains("rule-id=\"tmp\"", head.GetProperty("Expiration").GetString(), StringComparison.Ordinal);

            await Json("s3api", "put-object", "--bucket", bucket, "--key", "keep/b.txt", "--body", file);
            foreach (var node in new[] { $"{TopologyFixture.Site}-node1", $"{TopologyFixture.Site}-node2" })
            {
                using var http = new HttpClient { BaseAddress = topology.App.GetEndpoint(node, "http") };
                using var run = new HttpRequestMessage(HttpMethod.Post, "/internal/v1/lifecycle/run");
                run.Headers.Add("X-ComIO-Cluster-Secret", TopologyFixture.ClusterSecret);
                using var response = await http.SendAsync(run, Ct);
                Assert.True(response.IsSuccessStatusCode, $"{node}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
            }

            var expired = await AwsCli.RunAsync(topology, Ct, "s3api", "head-object", "--bucket", bucket, "--key", "tmp/a.txt");
            Assert.NotEqual(0, expired.ExitCode);
            Assert.Contains("404", expired.StdErr, StringComparison.Ordinal);
            await Json("s3api", "head-object", "--bucket", bucket, "--key", "keep/b.txt");
            await File.WriteAllTextAsync(file, "expiring again", Ct);
            await Json("s3api", "put-object", "--bucket", bucket, "--key", "tmp/a.txt", "--body", file);

            var invalid = JsonSerializer.Serialize(new { Rules = new object[] { new { ID = "bad", Status = "Enabled", Filter = new { Prefix = "" }, Expiration = new { Days = 0 } } } });
            var refused = await AwsCli.RunAsync(topology, Ct, "s3api", "put-bucket-lifecycle-configuration", "--bucket", bucket, "--lifecycle-configuration", invalid);
            Assert.NotEqual(0, refused.ExitCode);
            Assert.Contains("InvalidArgument", refused.StdErr, StringComparison.Ordinal);

            await Json("s3api", "delete-bucket-lifecycle", "--bucket", bucket);
            var gone = await AwsCli.RunAsync(topology, Ct, "s3api", "get-bucket-lifecycle-configuration", "--bucket", bucket);
            Assert.NotEqual(0, gone.ExitCode);
            Assert.Contains("NoSuchLifecycleConfiguration", gone.StdErr, StringComparison.Ordinal);

            await Json("s3api", "delete-object", "--bucket", bucket, "--key", "tmp/a.txt");
            await Json("s3api", "delete-object", "--bucket", bucket, "--key", "keep/b.txt");
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
