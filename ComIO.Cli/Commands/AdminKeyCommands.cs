using Cocona;
using Cocona.Application;
using ComIO.Cli.Admin;
using ComIO.Cli.Connection;
using ComIO.Cli.Output;

namespace ComIO.Cli.Commands;

/// <summary>
/// <c>comio admin key create|list|enable|disable|delete|rotate</c>. Secrets are printed only by <c>create</c> and
/// <c>rotate</c>: the server returns a secret only in those answers and never again.
/// </summary>
public sealed class AdminKeyCommands(ICoconaAppContextAccessor context)
{
    private CancellationToken Ct => context.Current?.CancellationToken ?? CancellationToken.None;

    [Command("create", Description = "Issue a new access key for USER; prints the secret (shown only this once)")]
    public Task<int> Create(ConnectionOptions options, [Argument(Description = "user name")] string user, [Option("json", Description = "JSON output")] bool json = false) =>
        IssueAsync(options, HttpMethod.Post, AdminClient.PathOf("users", user, "keys"), json);

    [Command("rotate", Description = "Issue a new key for the same user and disable ACCESS_KEY; prints the new secret")]
    public Task<int> Rotate(ConnectionOptions options, [Argument(Description = "access key id")] string accessKey, [Option("json", Description = "JSON output")] bool json = false) =>
        IssueAsync(options, HttpMethod.Post, AdminClient.PathOf("keys", accessKey, "rotate"), json);

    [Command("list", Description = "List USER's access keys (never their secrets)")]
    public Task<int> List(ConnectionOptions options, [Argument(Description = "user name")] string user, [Option("json", Description = "JSON output")] bool json = false) =>
        CommandRunner.RunAsync(options.Verbose, async () =>
        {
            using var client = new AdminClient(options);
            using var keys = await client.SendAsync(HttpMethod.Get, AdminClient.PathOf("users", user, "keys"), null, Ct);
            if (json)
            {
                JsonText.Print(keys!.RootElement);
                return;
            }

            var table = new TextTable("ACCESS KEY", "STATUS", "CREATED");
            foreach (var key in keys!.RootElement.EnumerateArray())
            {
                table.Add(JsonText.Text(key, "accessKeyId"), JsonText.Text(key, "status"), JsonText.Time(key, "createdAt"));
            }

            table.Write(Console.Out);
        });

    [Command("enable", Description = "Enable an access key (effective with the next request)")]
    public Task<int> Enable(ConnectionOptions options, [Argument(Description = "access key id")] string accessKey) =>
        SetAsync(options, HttpMethod.Put, AdminClient.PathOf("keys", accessKey, "status"), """{"status":"Active"}""", $"enabled key {accessKey}");

    [Command("disable", Description = "Disable an access key (effective with the next request)")]
    public Task<int> Disable(ConnectionOptions options, [Argument(Description = "access key id")] string accessKey) =>
        SetAsync(options, HttpMethod.Put, AdminClient.PathOf("keys", accessKey, "status"), """{"status":"Inactive"}""", $"disabled key {accessKey}");

    [Command("delete", Description = "Delete an access key")]
    public Task<int> Delete(ConnectionOptions options, [Argument(Description = "access key id")] string accessKey) =>
        SetAsync(options, HttpMethod.Delete, AdminClient.PathOf("keys", accessKey), null, $"deleted key {accessKey}");

    private Task<int> IssueAsync(ConnectionOptions options, HttpMethod method, string path, bool json) =>
        CommandRunner.RunAsync(options.Verbose, async () =>
        {
            using var client = new AdminClient(options);
            using var key = await client.SendAsync(method, path, "", Ct);
            var root = key!.RootElement;
            if (json)
            {
                JsonText.Print(root);
                return;
            }

            Console.Out.WriteLine($"user              {JsonText.Text(root, "userName")}");
            Console.Out.WriteLine($"access_key        {JsonText.Text(root, "accessKeyId")}");
            Console.Out.WriteLine($"secret_key        {JsonText.Text(root, "secretAccessKey")}");
            Console.Out.WriteLine($"status            {JsonText.Text(root, "status")}");
            Messages.Info(options, "The secret key is shown only now; store it safely.");
        });

    private Task<int> SetAsync(ConnectionOptions options, HttpMethod method, string path, string? body, string done) =>
        CommandRunner.RunAsync(options.Verbose, async () =>
        {
            using var client = new AdminClient(options);
            using var _ = await client.SendAsync(method, path, body, Ct);
            Messages.Info(options, done);
        });
}
