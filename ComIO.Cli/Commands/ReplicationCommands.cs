using System.Text.Json;
using Cocona;
using Cocona.Application;
using ComIO.Cli.Admin;
using ComIO.Cli.Connection;
using ComIO.Cli.Output;

namespace ComIO.Cli.Commands;

/// <summary>
/// <c>comio replication status|resync</c>. Status reads the site's replication stream through the admin API; resync asks
/// the admin API to re-queue a bucket's objects. Whatever the server does not implement is reported as its error.
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

    [Command("resync", Description = "Re-queue every object of BUCKET for replication to the other sites")]
    public Task<int> Resync(ConnectionOptions options, [Argument(Description = "bucket")] string bucket) =>
        CommandRunner.RunAsync(options.Verbose, async () =>
        {
            using var client = new AdminClient(options);
            var body = JsonSerializer.Serialize(new { bucket });
            using var result = await client.SendAsync(HttpMethod.Post, AdminClient.PathOf("replication", "resync"), body, Ct);
            if (result is not null)
            {
                JsonText.Print(result.RootElement);
            }

            Messages.Info(options, $"resync of {bucket} requested");
        });
}
