using System.Text.Json;
using Cocona;
using Cocona.Application;
using ComIO.Cli.Admin;
using ComIO.Cli.Connection;
using ComIO.Cli.Output;

namespace ComIO.Cli.Commands;

/// <summary>
/// <c>comio admin kms create|list|show|rotate</c>: the site's SSE-KMS keys (the local key service). Key material never
/// leaves the server; rotation adds a version, and objects encrypted under older versions stay readable.
/// </summary>
public sealed class AdminKmsCommands(ICoconaAppContextAccessor context)
{
    private CancellationToken Ct => context.Current?.CancellationToken ?? CancellationToken.None;

    [Command("create", Description = "Create an SSE-KMS key NAME (letters, digits, '-', '_')")]
    public Task<int> Create(ConnectionOptions options, [Argument(Description = "key name")] string name, [Option("json", Description = "JSON output")] bool json = false) =>
        ShowAsync(options, HttpMethod.Post, AdminClient.PathOf("kms", "keys"), JsonSerializer.Serialize(new Dictionary<string, string> { ["name"] = name }), json);

    [Command("rotate", Description = "Add a new version to key NAME and make it current (old objects stay readable)")]
    public Task<int> Rotate(ConnectionOptions options, [Argument(Description = "key name")] string name, [Option("json", Description = "JSON output")] bool json = false) =>
        ShowAsync(options, HttpMethod.Post, AdminClient.PathOf("kms", "keys", name, "rotate"), "", json);

    [Command("show", Description = "Show key NAME: ARN, versions, current version")]
    public Task<int> Show(ConnectionOptions options, [Argument(Description = "key name")] string name, [Option("json", Description = "JSON output")] bool json = false) =>
        ShowAsync(options, HttpMethod.Get, AdminClient.PathOf("kms", "keys", name), null, json);

    [Command("list", Description = "List the site's SSE-KMS keys")]
    public Task<int> List(ConnectionOptions options, [Option("json", Description = "JSON output")] bool json = false) =>
        CommandRunner.RunAsync(options.Verbose, async () =>
        {
            using var client = new AdminClient(options);
            using var keys = await client.SendAsync(HttpMethod.Get, AdminClient.PathOf("kms", "keys"), null, Ct);
            if (json)
            {
                JsonText.Print(keys!.RootElement);
                return;
            }

            var table = new TextTable("NAME", "VERSION", "CREATED", "ARN");
            foreach (var key in keys!.RootElement.EnumerateArray())
            {
                table.Add(JsonText.Text(key, "name"), key.GetProperty("currentVersion").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture), JsonText.Time(key, "createdAt"), JsonText.Text(key, "arn"));
            }

            table.Write(Console.Out);
        });

    private Task<int> ShowAsync(ConnectionOptions options, HttpMethod method, string path, string? body, bool json) =>
        CommandRunner.RunAsync(options.Verbose, async () =>
        {
            using var client = new AdminClient(options);
            using var key = await client.SendAsync(method, path, body, Ct);
            var root = key!.RootElement;
            if (json)
            {
                JsonText.Print(root);
                return;
            }

            Console.Out.WriteLine($"name              {JsonText.Text(root, "name")}");
            Console.Out.WriteLine($"arn               {JsonText.Text(root, "arn")}");
            Console.Out.WriteLine($"current_version   {root.GetProperty("currentVersion").GetInt32()}");
            Console.Out.WriteLine($"versions          {string.Join(',', root.GetProperty("versions").EnumerateArray().Select(static v => v.GetInt32()))}");
            Console.Out.WriteLine($"created           {JsonText.Time(root, "createdAt")}");
        });
}
