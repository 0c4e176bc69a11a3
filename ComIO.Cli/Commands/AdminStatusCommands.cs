using Cocona;
using Cocona.Application;
using ComIO.Cli.Admin;
using ComIO.Cli.Connection;
using ComIO.Cli.Output;

namespace ComIO.Cli.Commands;

/// <summary><c>comio admin status</c>: the site's storage nodes with reachability, health and capacity.</summary>
public sealed class AdminStatusCommands(ICoconaAppContextAccessor context)
{
    private CancellationToken Ct => context.Current?.CancellationToken ?? CancellationToken.None;

    [Command("status", Description = "Cluster status: site, nodes, health and capacity; exits 1 when a node is unreachable or unhealthy")]
    public Task<int> Status(ConnectionOptions options, [Option("json", Description = "JSON output")] bool json = false) =>
        CommandRunner.RunAsync(options.Verbose, async () =>
        {
            using var client = new AdminClient(options);
            using var status = await client.SendAsync(HttpMethod.Get, AdminClient.PathOf("cluster"), null, Ct);
            var root = status!.RootElement;
            var nodes = root.TryGetProperty("nodes", out var list) ? list.EnumerateArray().ToList() : [];
            var unhealthy = nodes.Count(n => !JsonText.Flag(n, "reachable") || !JsonText.Flag(n, "healthy"));
            if (json)
            {
                JsonText.Print(root);
            }
            else
            {
                var capacity = JsonText.Number(root, "capacityBytes");
                var used = JsonText.Number(root, "usedBytes");
                Console.Out.WriteLine($"site      {JsonText.Text(root, "site")}");
                Console.Out.WriteLine($"region    {JsonText.Text(root, "region")}");
                Console.Out.WriteLine($"capacity  {Sizes.Format(capacity)}, used {Sizes.Format(used)}, free {Sizes.Format(JsonText.Number(root, "freeBytes"))}");
                Console.Out.WriteLine($"health    {(unhealthy == 0 ? "ok" : $"{unhealthy} of {nodes.Count} node(s) unhealthy or unreachable")}");
                Console.Out.WriteLine();
                var table = new TextTable("NODE", "STATE", "CAPACITY", "USED", "FREE", "OBJECTS", "CRC ERRORS", "ERROR");
                foreach (var node in nodes)
                {
                    var state = !JsonText.Flag(node, "reachable") ? "unreachable" : JsonText.Flag(node, "healthy") ? "healthy" : "unhealthy";
                    table.Add(
                        JsonText.Text(node, "id"),
                        state,
                        Sizes.Format(JsonText.Number(node, "capacityBytes")),
                        Sizes.Format(JsonText.Number(node, "usedBytes")),
                        Sizes.Format(JsonText.Number(node, "freeBytes")),
                        JsonText.Text(node, "objectCount"),
                        JsonText.Text(node, "checksumFailures"),
                        JsonText.Text(node, "error"));
                }

                table.Write(Console.Out);
            }

            if (unhealthy > 0)
            {
                throw new CliException($"{unhealthy} of {nodes.Count} storage node(s) unhealthy or unreachable");
            }
        });
}
