using System.Text.Json;
using Cocona;
using Cocona.Application;
using ComIO.Cli.Admin;
using ComIO.Cli.Connection;
using ComIO.Cli.Output;

namespace ComIO.Cli.Commands;

/// <summary><c>comio admin policy put|get|list|delete</c>: a user's named IAM JSON identity policies.</summary>
public sealed class AdminPolicyCommands(ICoconaAppContextAccessor context)
{
    private CancellationToken Ct => context.Current?.CancellationToken ?? CancellationToken.None;

    [Command("put", Description = "Attach (or replace) policy NAME of USER from an IAM JSON file (- for stdin)")]
    public Task<int> Put(
        ConnectionOptions options,
        [Argument(Description = "user name")] string user,
        [Argument(Description = "policy name")] string name,
        [Option("file", ['f'], Description = "IAM policy JSON file, or - for stdin")] string file) =>
        CommandRunner.RunAsync(options.Verbose, async () =>
        {
            string document;
            if (file == "-")
            {
                document = await Console.In.ReadToEndAsync(Ct);
            }
            else if (File.Exists(file))
            {
                document = await File.ReadAllTextAsync(file, Ct);
            }
            else
            {
                throw new CliException($"{file}: no such file");
            }

            using var client = new AdminClient(options);
            using var _ = await client.SendAsync(HttpMethod.Put, AdminClient.PathOf("users", user, "policies", name), document, Ct);
            Messages.Info(options, $"attached policy {name} to user {user}");
        });

    [Command("get", Description = "Print policy NAME of USER (the JSON document)")]
    public Task<int> Get(ConnectionOptions options, [Argument(Description = "user name")] string user, [Argument(Description = "policy name")] string name) =>
        CommandRunner.RunAsync(options.Verbose, async () =>
        {
            using var policies = await ListAsync(options, user);
            if (!policies.RootElement.TryGetProperty(name, out var document) || document.ValueKind != JsonValueKind.String)
            {
                throw new CliException($"NoSuchEntity: User '{user}' has no policy '{name}'.");
            }

            var text = document.GetString()!;
            try
            {
                using var parsed = JsonDocument.Parse(text);
                JsonText.Print(parsed.RootElement);
            }
            catch (JsonException)
            {
                Console.Out.WriteLine(text);
            }
        });

    [Command("list", Description = "List the names of USER's policies")]
    public Task<int> List(ConnectionOptions options, [Argument(Description = "user name")] string user, [Option("json", Description = "JSON output (name to document)")] bool json = false) =>
        CommandRunner.RunAsync(options.Verbose, async () =>
        {
            using var policies = await ListAsync(options, user);
            if (json)
            {
                JsonText.Print(policies.RootElement);
                return;
            }

            foreach (var policy in policies.RootElement.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal))
            {
                Console.Out.WriteLine(policy);
            }
        });

    [Command("delete", Description = "Detach policy NAME from USER")]
    public Task<int> Delete(ConnectionOptions options, [Argument(Description = "user name")] string user, [Argument(Description = "policy name")] string name) =>
        CommandRunner.RunAsync(options.Verbose, async () =>
        {
            using var client = new AdminClient(options);
            using var _ = await client.SendAsync(HttpMethod.Delete, AdminClient.PathOf("users", user, "policies", name), null, Ct);
            Messages.Info(options, $"detached policy {name} from user {user}");
        });

    private async Task<JsonDocument> ListAsync(ConnectionOptions options, string user)
    {
        using var client = new AdminClient(options);
        return await client.SendAsync(HttpMethod.Get, AdminClient.PathOf("users", user, "policies"), null, Ct)
            ?? throw new CliException("the server returned an empty policy list");
    }
}
