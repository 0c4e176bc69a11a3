using System.Text.Json;
using Cocona;
using Cocona.Application;
using ComIO.Cli.Admin;
using ComIO.Cli.Connection;
using ComIO.Cli.Output;

namespace ComIO.Cli.Commands;

/// <summary><c>comio admin user create|list|show|delete|enable|disable</c> through the admin API.</summary>
public sealed class AdminUserCommands(ICoconaAppContextAccessor context)
{
    private CancellationToken Ct => context.Current?.CancellationToken ?? CancellationToken.None;

    [Command("create", Description = "Create a user (no keys, no policies); --admin makes it an administrator")]
    public Task<int> Create(
        ConnectionOptions options,
        [Argument(Description = "user name (letters, digits and +=,.@_-)")] string name,
        [Option("admin", Description = "The user may call the admin API and bypasses policies")] bool admin = false,
        [Option("json", Description = "JSON output")] bool json = false) =>
        CommandRunner.RunAsync(options.Verbose, async () =>
        {
            using var client = new AdminClient(options);
            var body = JsonSerializer.Serialize(new { name, administrator = admin });
            using var user = await client.SendAsync(HttpMethod.Post, AdminClient.PathOf("users"), body, Ct);
            if (json)
            {
                JsonText.Print(user!.RootElement);
                return;
            }

            Messages.Info(options, $"created user {name}");
        });

    [Command("list", Description = "List users")]
    public Task<int> List(ConnectionOptions options, [Option("json", Description = "JSON output")] bool json = false) =>
        CommandRunner.RunAsync(options.Verbose, async () =>
        {
            using var client = new AdminClient(options);
            using var users = await client.SendAsync(HttpMethod.Get, AdminClient.PathOf("users"), null, Ct);
            if (json)
            {
                JsonText.Print(users!.RootElement);
                return;
            }

            var table = new TextTable("NAME", "STATUS", "ADMIN", "CREATED", "POLICIES");
            foreach (var user in users!.RootElement.EnumerateArray())
            {
                table.Add(JsonText.Text(user, "name"), JsonText.Text(user, "status"), JsonText.Text(user, "administrator"), JsonText.Time(user, "createdAt"), JsonText.Text(user, "policies"));
            }

            table.Write(Console.Out);
        });

    [Command("show", Description = "Show one user")]
    public Task<int> Show(ConnectionOptions options, [Argument] string name, [Option("json", Description = "JSON output")] bool json = false) =>
        CommandRunner.RunAsync(options.Verbose, async () =>
        {
            using var client = new AdminClient(options);
            using var user = await client.SendAsync(HttpMethod.Get, AdminClient.PathOf("users", name), null, Ct);
            var root = user!.RootElement;
            if (json)
            {
                JsonText.Print(root);
                return;
            }

            Console.Out.WriteLine($"name          {JsonText.Text(root, "name")}");
            Console.Out.WriteLine($"arn           {JsonText.Text(root, "arn")}");
            Console.Out.WriteLine($"canonical-id  {JsonText.Text(root, "canonicalId")}");
            Console.Out.WriteLine($"status        {JsonText.Text(root, "status")}");
            Console.Out.WriteLine($"administrator {JsonText.Text(root, "administrator")}");
            Console.Out.WriteLine($"created       {JsonText.Time(root, "createdAt")} UTC");
            Console.Out.WriteLine($"policies      {JsonText.Text(root, "policies")}");
        });

    [Command("delete", Description = "Delete a user and all its access keys")]
    public Task<int> Delete(ConnectionOptions options, [Argument] string name) =>
        SetAsync(options, HttpMethod.Delete, AdminClient.PathOf("users", name), null, $"deleted user {name}");

    [Command("enable", Description = "Enable a user (its active keys work again)")]
    public Task<int> Enable(ConnectionOptions options, [Argument] string name) =>
        SetAsync(options, HttpMethod.Put, AdminClient.PathOf("users", name, "status"), """{"status":"Active"}""", $"enabled user {name}");

    [Command("disable", Description = "Disable a user: every key of the user stops working at once")]
    public Task<int> Disable(ConnectionOptions options, [Argument] string name) =>
        SetAsync(options, HttpMethod.Put, AdminClient.PathOf("users", name, "status"), """{"status":"Inactive"}""", $"disabled user {name}");

    private Task<int> SetAsync(ConnectionOptions options, HttpMethod method, string path, string? body, string done) =>
        CommandRunner.RunAsync(options.Verbose, async () =>
        {
            using var client = new AdminClient(options);
            using var _ = await client.SendAsync(method, path, body, Ct);
            Messages.Info(options, done);
        });
}
