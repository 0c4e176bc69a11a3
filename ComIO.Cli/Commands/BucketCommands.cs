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

    [Command("info", Description = "Region, versioning status, object count and total size of a bucket")]
    public Task<int> Info(ConnectionOptions options, [Argument] string name, [Option("json", Description = "JSON output")] bool json = false) =>
        CommandRunner.RunAsync(options.Verbose, async () =>
        {
            using var s3 = ConnectionResolver.CreateClient(options);
            var location = await s3.GetBucketLocationAsync(new GetBucketLocationRequest { BucketName = name }, Ct);
            var region = string.IsNullOrEmpty(location.Location?.Value) ? "us-east-1" : location.Location.Value;
            var versioning = await s3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = name }, Ct);
            var status = versioning.VersioningConfig?.Status?.Value is { Length: > 0 } value ? value : "Off";
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
                Json.Write(new { name, region, versioning = status, objects = count, totalBytes = size });
                return;
            }

            Console.Out.WriteLine($"bucket      {name}");
            Console.Out.WriteLine($"region      {region}");
            Console.Out.WriteLine($"versioning  {status}");
            Console.Out.WriteLine($"objects     {count}");
            Console.Out.WriteLine($"size        {Sizes.Format(size)} ({size} bytes)");
        });

    private static void Info(ConnectionOptions options, string message)
    {
        if (!options.Quiet)
        {
            Console.Error.WriteLine(message);
        }
    }
}
