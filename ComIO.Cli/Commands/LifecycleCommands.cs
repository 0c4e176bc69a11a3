using Amazon.S3.Model;
using Cocona;
using Cocona.Application;
using ComIO.Cli.Connection;
using ComIO.Cli.Lifecycle;
using ComIO.Cli.Output;

namespace ComIO.Cli.Commands;

/// <summary>
/// <c>comio lifecycle set|get|delete BUCKET</c> through the S3 lifecycle API (PutBucketLifecycleConfiguration etc.).
/// A server without lifecycle support answers <c>NotImplemented</c>, which is reported as a failure.
/// </summary>
public sealed class LifecycleCommands(ICoconaAppContextAccessor context)
{
    private CancellationToken Ct => context.Current?.CancellationToken ?? CancellationToken.None;

    [Command("set", Description = "Replace BUCKET's lifecycle rules from a JSON (aws s3api shape) or XML file")]
    public Task<int> Set(
        ConnectionOptions options,
        [Argument(Description = "bucket")] string bucket,
        [Option("file", ['f'], Description = "rules.json or rules.xml, or - for stdin")] string file) =>
        CommandRunner.RunAsync(options.Verbose, async () =>
        {
            var text = file == "-" ? await Console.In.ReadToEndAsync(Ct)
                : File.Exists(file) ? await File.ReadAllTextAsync(file, Ct)
                : throw new CliException($"{file}: no such file");
            var configuration = LifecycleRulesFile.Parse(text);
            using var s3 = ConnectionResolver.CreateClient(options);
            await s3.PutLifecycleConfigurationAsync(new PutLifecycleConfigurationRequest { BucketName = bucket, Configuration = configuration }, Ct);
            Messages.Info(options, $"set {configuration.Rules.Count} lifecycle rule(s) on {bucket}");
        });

    [Command("get", Description = "Print BUCKET's lifecycle rules as JSON")]
    public Task<int> Get(ConnectionOptions options, [Argument(Description = "bucket")] string bucket) =>
        CommandRunner.RunAsync(options.Verbose, async () =>
        {
            using var s3 = ConnectionResolver.CreateClient(options);
            var response = await s3.GetLifecycleConfigurationAsync(new GetLifecycleConfigurationRequest { BucketName = bucket }, Ct);
            Json.Write(new
            {
                rules = (response.Configuration?.Rules ?? []).Select(r => new
                {
                    id = r.Id,
                    status = r.Status?.Value,
                    prefix = r.Filter?.Prefix,
                    expirationDays = r.Expiration?.Days,
                    expirationDate = r.Expiration?.Date,
                    noncurrentDays = r.NoncurrentVersionExpiration?.NoncurrentDays,
                    abortIncompleteMultipartUploadDays = r.AbortIncompleteMultipartUpload?.DaysAfterInitiation,
                }),
            });
        });

    [Command("delete", Description = "Remove BUCKET's lifecycle rules")]
    public Task<int> Delete(ConnectionOptions options, [Argument(Description = "bucket")] string bucket) =>
        CommandRunner.RunAsync(options.Verbose, async () =>
        {
            using var s3 = ConnectionResolver.CreateClient(options);
            await s3.DeleteLifecycleConfigurationAsync(new DeleteLifecycleConfigurationRequest { BucketName = bucket }, Ct);
            Messages.Info(options, $"deleted the lifecycle rules of {bucket}");
        });
}
