using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using Cocona;
using Cocona.Application;
using ComIO.Cli.Admin;
using ComIO.Cli.Connection;
using ComIO.Cli.Output;

namespace ComIO.Cli.Commands;

/// <summary>
/// <c>comio replication enable|get|disable|status|resync</c>. Enable/get/disable manage a bucket's replication rules
/// through the S3 API (PutBucketReplication etc.); status reads the site's replication stream and resync re-queues a
/// bucket's versions through the admin API.
/// </summary>
public sealed class ReplicationCommands(ICoconaAppContextAccessor context)
{
    private CancellationToken Ct => context.Current?.CancellationToken ?? CancellationToken.None;

    [Command("status", Description = "The site's replication queue: stream length, consumer groups, pending entries, lag")]
    public Task<int> Status(ConnectionOptions options, [Option("json", Description = "JSON output")] bool json = false) =>
        CommandRunner.RunAsync(options.Verbose, async () =>
        {
            using var client = new AdminClient(options);
            using var status = await client.SendAsync(HttpMethod.Get, AdminClient.PathOf("replication"), null, Ct);
            var root = status!.RootElement;
            if (json)
            {
                JsonText.Print(root);
                return;
            }

            Console.Out.WriteLine($"configured  {JsonText.Text(root, "configured")}");
            Console.Out.WriteLine($"stream      {JsonText.Text(root, "stream")}");
            Console.Out.WriteLine($"length      {JsonText.Text(root, "length")}");
            Console.Out.WriteLine($"dead letters {JsonText.Text(root, "deadLetters")}");
            if (JsonText.Text(root, "error") is { Length: > 0 } error)
            {
                Console.Out.WriteLine($"error       {error}");
            }

            var table = new TextTable("GROUP", "PENDING", "CONSUMERS", "LAST DELIVERED", "LAG");
            foreach (var group in root.TryGetProperty("groups", out var groups) ? groups.EnumerateArray() : default)
            {
                table.Add(JsonText.Text(group, "name"), JsonText.Text(group, "pending"), JsonText.Text(group, "consumers"), JsonText.Text(group, "lastDeliveredId"), JsonText.Text(group, "lag"));
            }

            Console.Out.WriteLine();
            table.Write(Console.Out);
        });

    [Command("resync", Description = "Re-queue the versions of BUCKET that are not replicated yet (written before replication was enabled, or FAILED)")]
    public Task<int> Resync(
        ConnectionOptions options,
        [Argument(Description = "bucket")] string bucket,
        [Option("include-completed", Description = "also re-send versions already replicated (the destination skips what it has)")] bool includeCompleted = false,
        [Option("json", Description = "JSON output")] bool json = false) =>
        CommandRunner.RunAsync(options.Verbose, async () =>
        {
            using var client = new AdminClient(options);
            var body = JsonSerializer.Serialize(new { bucket, includeCompleted });
            using var result = await client.SendAsync(HttpMethod.Post, AdminClient.PathOf("replication", "resync"), body, Ct);
            var root = result!.RootElement;
            if (json)
            {
                JsonText.Print(root);
                return;
            }

            Messages.Info(options, $"resync of {bucket}: {JsonText.Text(root, "queued")} version(s) queued, {JsonText.Text(root, "skipped")} skipped");
        });

    [Command("enable", Description = "Replicate BUCKET (or the keys under --prefix) to a bucket on other sites; turns versioning on, which replication needs")]
    public Task<int> Enable(
        ConnectionOptions options,
        [Argument(Description = "bucket")] string bucket,
        [Option("to", Description = "destination site (default: every site the server replicates to)")] string? site = null,
        [Option("dest-bucket", Description = "destination bucket (default: the same name)")] string? destinationBucket = null,
        [Option("prefix", Description = "only keys with this prefix")] string prefix = "",
        [Option("no-delete-markers", Description = "do not replicate delete markers")] bool noDeleteMarkers = false) =>
        CommandRunner.RunAsync(options.Verbose, async () =>
        {
            using var s3 = ConnectionResolver.CreateClient(options);
            var versioning = await s3.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = bucket }, Ct);
            if (versioning.VersioningConfig?.Status != VersionStatus.Enabled)
            {
                await s3.PutBucketVersioningAsync(new PutBucketVersioningRequest { BucketName = bucket, VersioningConfig = new S3BucketVersioningConfig { Status = VersionStatus.Enabled } }, Ct);
                Messages.Info(options, $"enabled versioning on {bucket}");
            }

            var rule = new ReplicationRule
            {
                Id = "comio-" + (site ?? "all-sites") + (prefix.Length > 0 ? "-" + prefix.TrimEnd('/').Replace('/', '-') : ""),
                Priority = 1,
                Status = ReplicationRuleStatus.Enabled,
                Filter = new ReplicationRuleFilter { Prefix = prefix },
                DeleteMarkerReplication = new DeleteMarkerReplication { Status = noDeleteMarkers ? DeleteMarkerReplicationStatus.Disabled : DeleteMarkerReplicationStatus.Enabled },
                Destination = new ReplicationDestination { BucketArn = $"arn:aws:s3:{site}::{destinationBucket ?? bucket}" },
            };
            await s3.PutBucketReplicationAsync(new PutBucketReplicationRequest
            {
                BucketName = bucket,
                Configuration = new ReplicationConfiguration { Role = "arn:aws:iam::000000000000:role/comio-replication", Rules = [rule] },
            }, Ct);
            Messages.Info(options, $"{bucket}{(prefix.Length > 0 ? "/" + prefix : "")} now replicates to {destinationBucket ?? bucket} on {site ?? "every destination site"}");
        });

    [Command("get", Description = "Print BUCKET's replication rules as JSON")]
    public Task<int> Get(ConnectionOptions options, [Argument(Description = "bucket")] string bucket) =>
        CommandRunner.RunAsync(options.Verbose, async () =>
        {
            using var s3 = ConnectionResolver.CreateClient(options);
            var rules = (await s3.GetBucketReplicationAsync(new GetBucketReplicationRequest { BucketName = bucket }, Ct)).Configuration?.Rules ?? [];
            Json.Write(new
            {
                rules = rules.Select(r => new
                {
                    id = r.Id,
                    status = r.Status?.Value,
                    prefix = r.Filter?.Prefix,
                    deleteMarkers = r.DeleteMarkerReplication?.Status?.Value,
                    destination = r.Destination?.BucketArn,
                }),
            });
        });

    [Command("disable", Description = "Remove BUCKET's replication rules (versions already queued are still copied)")]
    public Task<int> Disable(ConnectionOptions options, [Argument(Description = "bucket")] string bucket) =>
        CommandRunner.RunAsync(options.Verbose, async () =>
        {
            using var s3 = ConnectionResolver.CreateClient(options);
            await s3.DeleteBucketReplicationAsync(new DeleteBucketReplicationRequest { BucketName = bucket }, Ct);
            Messages.Info(options, $"removed the replication rules of {bucket}");
        });
}
