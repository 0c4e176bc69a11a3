using Amazon.S3;
using Amazon.S3.Model;
using Cocona;
using Cocona.Application;
using ComIO.Cli.Connection;
using ComIO.Cli.Output;

namespace ComIO.Cli.Commands;

/// <summary><c>comio bucket create|list|delete|info</c>.</summary>
public sealed class BucketCommands(ICoconaAppContextAccessor context)
{
    private const string NotConfigured = "not configured";
    private const string NotSupported = "not supported by this server";

    private CancellationToken Ct => context.Current?.CancellationToken ?? CancellationToken.None;

    [Command("create", Description = "Create a bucket")]
    public Task<int> Create(ConnectionOptions options, [Argument] string name) =>
        CommandRunner.RunAsync(options.Verbose, async () =>
        {
            using var s3 = ConnectionResolver.CreateClient(options);
            await s3.PutBucketAsync(new PutBucketRequest { BucketName = name }, Ct);
            Info(options, $"created bucket {name}");
        });

    [Command("delete", Description = "Delete an empty bucket")]
    public Task<int> Delete(ConnectionOptions options, [Argument] string name) =>
        CommandRunner.RunAsync(options.Verbose, async () =>
        {
            using var s3 = ConnectionResolver.CreateClient(options);
            await s3.DeleteBucketAsync(new DeleteBucketRequest { BucketName = name }, Ct);
            Info(options, $"deleted bucket {name}");
        });

    [Command("list", Description = "List buckets")]
    public Task<int> List(ConnectionOptions options, [Option("json", Description = "JSON output")] bool json = false) =>
        CommandRunner.RunAsync(options.Verbose, async () =>
        {
            using var s3 = ConnectionResolver.CreateClient(options);
            var buckets = new List<S3Bucket>();
            string? token = null;
            do
            {
                var page = await s3.ListBucketsAsync(new ListBucketsRequest { ContinuationToken = token }, Ct);
                buckets.AddRange(page.Buckets ?? []);
                token = page.ContinuationToken;
            }
            while (!string.IsNullOrEmpty(token));

            if (json)
            {
                Json.Write(buckets.Select(b => new { name = b.BucketName, creationDate = b.CreationDate?.ToUniversalTime() }));
                return;
            }

            foreach (var bucket in buckets)
            {
                Console.Out.WriteLine($"{bucket.CreationDate?.ToUniversalTime():yyyy-MM-dd HH:mm:ss}  {bucket.BucketName}");
            }
        });

    [Command("info", Description = "Region, versioning, lifecycle, replication, policy, object count and total size of a bucket")]
    public Task<int> Info(ConnectionOptions options, [Argument] string name, [Option("json", Description = "JSON output")] bool json = false) =>
        CommandRunner.RunAsync(options.Verbose, async () =>
        {
            using var s3 = ConnectionResolver.CreateClient(options);
            var location = await s3.GetBucketLocationAsync(new GetBucketLocationRequest { BucketName = name }, Ct);
            var region = string.IsNullOrEmpty(location.Location?.Value) ? "us-east-1" : location.Location.Value;
            var versioning = await s3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = name }, Ct);
            var status = versioning.VersioningConfig?.Status?.Value is { Length: > 0 } value ? value : "Off";
            var lifecycle = await FeatureAsync(async () =>
            {
                var rules = (await s3.GetLifecycleConfigurationAsync(new GetLifecycleConfigurationRequest { BucketName = name }, Ct)).Configuration?.Rules ?? [];
                return rules.Count == 0 ? NotConfigured : $"{rules.Count} rule(s)";
            }, "NoSuchLifecycleConfiguration");
            var replication = await FeatureAsync(async () =>
            {
                var rules = (await s3.GetBucketReplicationAsync(new GetBucketReplicationRequest { BucketName = name }, Ct)).Configuration?.Rules ?? [];
                return rules.Count == 0 ? NotConfigured : $"{rules.Count} rule(s)";
            }, "ReplicationConfigurationNotFoundError");
            var policy = await FeatureAsync(async () =>
            {
                var response = await s3.GetBucketPolicyAsync(new GetBucketPolicyRequest { BucketName = name }, Ct);
                if (response.HttpStatusCode != System.Net.HttpStatusCode.OK || response.Policy?.TrimStart().StartsWith('<') == true)
                {
                    // AWSSDK hands a 404 NoSuchBucketPolicy error body back as the "policy" text instead of throwing.
                    var error = Admin.AdminClient.DescribeError(response.HttpStatusCode, response.Policy ?? "");
                    return error.StartsWith("NoSuchBucketPolicy:", StringComparison.Ordinal) ? NotConfigured : throw new CliException(error);
                }

                return string.IsNullOrWhiteSpace(response.Policy) ? NotConfigured : response.Policy;
            }, "NoSuchBucketPolicy");
            long count = 0, size = 0;
            await foreach (var page in ObjectLister.PagesAsync(s3, name, string.Empty, delimiter: null, Ct))
            {
                foreach (var obj in page.S3Objects ?? [])
                {
                    count++;
                    size += obj.Size ?? 0;
                }
            }

            if (json)
            {
                Json.Write(new { name, region, versioning = status, lifecycle, replication, policy, objects = count, totalBytes = size });
                return;
            }

            Console.Out.WriteLine($"bucket       {name}");
            Console.Out.WriteLine($"region       {region}");
            Console.Out.WriteLine($"versioning   {status}");
            Console.Out.WriteLine($"lifecycle    {lifecycle}");
            Console.Out.WriteLine($"replication  {replication}");
            Console.Out.WriteLine($"policy       {(policy is NotConfigured or NotSupported ? policy : policy.ReplaceLineEndings(" "))}");
            Console.Out.WriteLine($"objects      {count}");
            Console.Out.WriteLine($"size         {Sizes.Format(size)} ({size} bytes)");
        });

    /// <summary>Runs a bucket sub-resource query: the missing-configuration error means "not configured", NotImplemented (501) "not supported".</summary>
    private static async Task<string> FeatureAsync(Func<Task<string>> query, string notConfiguredCode)
    {
        try
        {
            return await query();
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == notConfiguredCode)
        {
            return NotConfigured;
        }
        catch (AmazonS3Exception e) when (e.ErrorCode == "NotImplemented" || e.StatusCode == System.Net.HttpStatusCode.NotImplemented)
        {
            return NotSupported;
        }
    }

    private static void Info(ConnectionOptions options, string message)
    {
        if (!options.Quiet)
        {
            Console.Error.WriteLine(message);
        }
    }
}
