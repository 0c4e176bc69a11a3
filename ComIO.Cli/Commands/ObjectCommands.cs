using Amazon.S3;
using Amazon.S3.Model;
using Amazon.S3.Transfer;
using Cocona;
using Cocona.Application;
using ComIO.Cli.Connection;
using ComIO.Cli.Output;
using ComIO.Cli.Transfers;

namespace ComIO.Cli.Commands;

/// <summary><c>comio object put|get|list|delete|head|copy|presign</c>.</summary>
public sealed class ObjectCommands(ICoconaAppContextAccessor context)
{
    private const long PartSize = 8L * 1024 * 1024;
    private const long MultipartThreshold = 16L * 1024 * 1024;
    private const int DeleteBatch = 1000;

    private CancellationToken Ct => context.Current?.CancellationToken ?? CancellationToken.None;

    [Command("put", Description = "Upload a file (multipart with parallel parts for large files); --file - reads stdin")]
    public Task<int> Put(
        ConnectionOptions options,
        [Argument(Description = "BUCKET/KEY")] string path,
        [Option("file", ['f'], Description = "Local file, or - for stdin")] string file,
        [Option("content-type", Description = "Content-Type of the object")] string? contentType = null,
        [Option("json", Description = "JSON output")] bool json = false,
        [Option("no-resume", Description = "Do not save or resume an interrupted multipart upload (a failed upload is aborted)")] bool noResume = false,
        [Option("limit-rate", Description = "Cap the upload rate, bytes per second with K/M/G suffixes (e.g. 20M)")] string? limitRate = null) =>
        CommandRunner.RunAsync(options.Verbose, async () =>
        {
            var target = S3Path.Parse(path, requireKey: true);
            var limiter = limitRate is null ? null : new RateLimiter(Sizes.Parse(limitRate, "--limit-rate"));
            string? temp = null;
            try
            {
                var source = file;
                if (file == "-")
                {
                    // Buffer stdin to a temporary file so large streams still upload as parallel multipart parts.
                    temp = Path.Combine(Path.GetTempPath(), "comio-stdin-" + Guid.NewGuid().ToString("N"));
                    await using (var buffer = File.Create(temp))
                    {
                        await using var stdin = Console.OpenStandardInput();
                        await stdin.CopyToAsync(buffer, Ct);
                    }

                    source = temp;
                }
                else if (!File.Exists(file))
                {
                    throw new CliException($"{file}: no such file");
                }

                var length = new FileInfo(source).Length;
                using var s3 = ConnectionResolver.CreateClient(options);
                if (length >= MultipartThreshold)
                {
                    // Multipart with parallel parts; resumable unless --no-resume (stdin's temporary file never is).
                    var endpoint = ConnectionResolver.Resolve(options, new ProfileStore()).Endpoint.Value!;
                    var upload = new ResumableUpload(s3, options, new UploadStateStore());
                    await upload.RunAsync(endpoint, target, source, contentType, resume: !noResume && temp is null, limiter, Ct);
                }
                else
                {
                    using var transfer = new TransferUtility(s3, new TransferUtilityConfig { ConcurrentServiceRequests = 4, MinSizeBeforePartUpload = MultipartThreshold });
                    var request = new TransferUtilityUploadRequest
                    {
                        BucketName = target.Bucket,
                        Key = target.Key,
                        FilePath = source,
                        PartSize = PartSize,
                        ContentType = contentType,
                    };
                    await TransferProgress.RunAsync($"put {target}", length, options.Quiet, async report =>
                    {
                        request.UploadProgressEvent += (_, e) => report(e.TransferredBytes);
                        await transfer.UploadAsync(request, Ct);
                    });
                }

                var head = await s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = target.Bucket, Key = target.Key }, Ct);
                if (json)
                {
                    Json.Write(new { bucket = target.Bucket, key = target.Key, size = length, etag = head.ETag });
                }
                else if (!options.Quiet)
                {
                    Console.Error.WriteLine($"uploaded {target} ({Sizes.Format(length)}, ETag {head.ETag})");
                }
            }
            finally
            {
                if (temp is not null)
                {
                    File.Delete(temp);
                }
            }
        });

    [Command("get", Description = "Download an object to stdout (default) or a file")]
    public Task<int> Get(
        ConnectionOptions options,
        [Argument(Description = "BUCKET/KEY")] string path,
        [Option("file", ['f'], Description = "Local file, or - for stdout (default)")] string? file = null) =>
        CommandRunner.RunAsync(options.Verbose, async () =>
        {
            var source = S3Path.Parse(path, requireKey: true);
            using var s3 = ConnectionResolver.CreateClient(options);
            using var response = await s3.GetObjectAsync(new GetObjectRequest { BucketName = source.Bucket, Key = source.Key }, Ct);
            var toStdout = file is null or "-";
            var partial = toStdout ? null : file + ".comio-partial";
            try
            {
                await using (var destination = toStdout ? Console.OpenStandardOutput() : File.Create(partial!))
                {
                    await TransferProgress.RunAsync($"get {source}", response.ContentLength, options.Quiet || toStdout && !Console.IsOutputRedirected, async report =>
                    {
                        var buffer = new byte[1024 * 1024];
                        long done = 0;
                        int read;
                        while ((read = await response.ResponseStream.ReadAsync(buffer, Ct)) > 0)
                        {
                            await destination.WriteAsync(buffer.AsMemory(0, read), Ct);
                            done += read;
                            report(done);
                        }
                    });
                }

                if (partial is not null)
                {
                    File.Move(partial, file!, overwrite: true);
                    partial = null;
                }
            }
            finally
            {
                if (partial is not null)
                {
                    File.Delete(partial);
                }
            }
        });

    [Command("list", Description = "List objects under BUCKET[/PREFIX]; without --recursive, groups by '/' and shows prefixes")]
    public Task<int> List(
        ConnectionOptions options,
        [Argument(Description = "BUCKET[/PREFIX]")] string path,
        [Option("recursive", ['r'], Description = "List every key under the prefix")] bool recursive = false,
        [Option("versions", Description = "List every version and delete marker (ListObjectVersions)")] bool versions = false,
        [Option("json", Description = "JSON output")] bool json = false) =>
        CommandRunner.RunAsync(options.Verbose, async () =>
        {
            var location = S3Path.Parse(path, requireKey: false);
            using var s3 = ConnectionResolver.CreateClient(options);
            if (versions)
            {
                await ListVersionsAsync(s3, location, recursive, json);
                return;
            }

            var prefixes = new List<string>();
            var objects = new List<S3Object>();
            await foreach (var page in ObjectLister.PagesAsync(s3, location.Bucket, location.Key, recursive ? null : "/", Ct))
            {
                prefixes.AddRange(page.CommonPrefixes ?? []);
                objects.AddRange(page.S3Objects ?? []);
            }

            if (json)
            {
                Json.Write(new
                {
                    bucket = location.Bucket,
                    prefix = location.Key,
                    prefixes,
                    objects = objects.Select(o => new { key = o.Key, size = o.Size ?? 0, lastModified = o.LastModified?.ToUniversalTime(), etag = o.ETag }),
                });
                return;
            }

            foreach (var prefix in prefixes)
            {
                Console.Out.WriteLine($"{"PRE",30} {prefix}");
            }

            foreach (var obj in objects)
            {
                Console.Out.WriteLine($"{obj.LastModified?.ToUniversalTime():yyyy-MM-dd HH:mm:ss} {obj.Size ?? 0,10} {obj.Key}");
            }
        });

    [Command("delete", Description = "Delete an object, or with --recursive everything under BUCKET[/PREFIX]")]
    public Task<int> Delete(
        ConnectionOptions options,
        [Argument(Description = "BUCKET/KEY or BUCKET[/PREFIX] with --recursive")] string path,
        [Option("recursive", ['r'], Description = "Delete every key under the prefix (DeleteObjects batches)")] bool recursive = false) =>
        CommandRunner.RunAsync(options.Verbose, async () =>
        {
            var target = S3Path.Parse(path, requireKey: !recursive);
            using var s3 = ConnectionResolver.CreateClient(options);
            if (!recursive)
            {
                await s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = target.Bucket, Key = target.Key }, Ct);
                Info(options, $"deleted {target}");
                return;
            }

            long deleted = 0;
            await foreach (var page in ObjectLister.PagesAsync(s3, target.Bucket, target.Key, delimiter: null, Ct))
            {
                var keys = (page.S3Objects ?? []).Select(o => o.Key).ToList();
                foreach (var batch in keys.Chunk(DeleteBatch))
                {
                    var result = await s3.DeleteObjectsAsync(new DeleteObjectsRequest
                    {
                        BucketName = target.Bucket,
                        Quiet = true,
                        Objects = [.. batch.Select(k => new KeyVersion { Key = k })],
                    }, Ct);
                    if (result.DeleteErrors is { Count: > 0 } errors)
                    {
                        var first = errors[0];
                        throw new CliException($"{first.Code}: {first.Message} (key {first.Key}; {errors.Count} key(s) not deleted)");
                    }

                    deleted += batch.Length;
                }
            }

            Info(options, $"deleted {deleted} object(s) under {target}");
        });

    [Command("head", Description = "Show an object's metadata")]
    public Task<int> Head(
        ConnectionOptions options,
        [Argument(Description = "BUCKET/KEY")] string path,
        [Option("json", Description = "JSON output")] bool json = false) =>
        CommandRunner.RunAsync(options.Verbose, async () =>
        {
            var target = S3Path.Parse(path, requireKey: true);
            using var s3 = ConnectionResolver.CreateClient(options);
            var head = await s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = target.Bucket, Key = target.Key }, Ct);
            var metadata = head.Metadata.Keys.ToDictionary(k => k, k => head.Metadata[k]);
            if (json)
            {
                Json.Write(new
                {
                    bucket = target.Bucket,
                    key = target.Key,
                    size = head.ContentLength,
                    etag = head.ETag,
                    contentType = head.Headers.ContentType,
                    lastModified = head.LastModified?.ToUniversalTime(),
                    metadata,
                });
                return;
            }

            Console.Out.WriteLine($"key            {target}");
            Console.Out.WriteLine($"size           {head.ContentLength} ({Sizes.Format(head.ContentLength)})");
            Console.Out.WriteLine($"etag           {head.ETag}");
            Console.Out.WriteLine($"content-type   {head.Headers.ContentType}");
            Console.Out.WriteLine($"last-modified  {head.LastModified?.ToUniversalTime():yyyy-MM-dd HH:mm:ss} UTC");
            foreach (var (name, value) in metadata)
            {
                Console.Out.WriteLine($"{name,-14} {value}");
            }
        });

    [Command("copy", Description = "Server-side copy SRC_BUCKET/KEY DST_BUCKET/KEY")]
    public Task<int> Copy(
        ConnectionOptions options,
        [Argument(Description = "source BUCKET/KEY")] string source,
        [Argument(Description = "destination BUCKET/KEY")] string destination) =>
        CommandRunner.RunAsync(options.Verbose, async () =>
        {
            var from = S3Path.Parse(source, requireKey: true);
            var to = S3Path.Parse(destination, requireKey: true);
            using var s3 = ConnectionResolver.CreateClient(options);
            await s3.CopyObjectAsync(new CopyObjectRequest
            {
                SourceBucket = from.Bucket,
                SourceKey = from.Key,
                DestinationBucket = to.Bucket,
                DestinationKey = to.Key,
            }, Ct);
            Info(options, $"copied {from} to {to}");
        });

    [Command("presign", Description = "Print a presigned GET URL")]
    public Task<int> Presign(
        ConnectionOptions options,
        [Argument(Description = "BUCKET/KEY")] string path,
        [Option("expires", Description = "Validity in seconds (1..604800)")] int expires = 3600) =>
        CommandRunner.RunAsync(options.Verbose, async () =>
        {
            var target = S3Path.Parse(path, requireKey: true);
            if (expires is < 1 or > 604800)
            {
                throw new CliException("--expires must be between 1 and 604800 seconds", ExitCodes.Usage);
            }

            using var s3 = ConnectionResolver.CreateClient(options);
            var endpoint = new Uri(s3.Config.ServiceURL);
            var url = await s3.GetPreSignedURLAsync(new GetPreSignedUrlRequest
            {
                BucketName = target.Bucket,
                Key = target.Key,
                Verb = HttpVerb.GET,
                Expires = DateTime.UtcNow.AddSeconds(expires),
                Protocol = endpoint.Scheme == Uri.UriSchemeHttps ? Protocol.HTTPS : Protocol.HTTP,
            });
            Console.Out.WriteLine(url);
        });

    private async Task ListVersionsAsync(IAmazonS3 s3, S3Path location, bool recursive, bool json)
    {
        var prefixes = new List<string>();
        var versions = new List<S3ObjectVersion>();
        var request = new ListVersionsRequest { BucketName = location.Bucket, Prefix = location.Key, Delimiter = recursive ? null : "/" };
        while (true)
        {
            var page = await s3.ListVersionsAsync(request, Ct);
            prefixes.AddRange(page.CommonPrefixes ?? []);
            versions.AddRange(page.Versions ?? []);
            if (page.IsTruncated != true)
            {
                break;
            }

            request.KeyMarker = page.NextKeyMarker;
            request.VersionIdMarker = page.NextVersionIdMarker;
        }

        if (json)
        {
            Json.Write(new
            {
                bucket = location.Bucket,
                prefix = location.Key,
                prefixes,
                versions = versions.Select(v => new
                {
                    key = v.Key,
                    versionId = v.VersionId,
                    isLatest = v.IsLatest ?? false,
                    isDeleteMarker = v.IsDeleteMarker ?? false,
                    size = v.Size ?? 0,
                    lastModified = v.LastModified?.ToUniversalTime(),
                    etag = v.ETag,
                }),
            });
            return;
        }

        foreach (var prefix in prefixes)
        {
            Console.Out.WriteLine($"{"PRE",30} {prefix}");
        }

        foreach (var v in versions)
        {
            var kind = v.IsDeleteMarker == true ? "DELETE-MARKER" : v.IsLatest == true ? "LATEST" : "";
            Console.Out.WriteLine($"{v.LastModified?.ToUniversalTime():yyyy-MM-dd HH:mm:ss} {v.Size ?? 0,10} {v.VersionId,-32} {kind,-13} {v.Key}");
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
