using Cocona;
using ComIO.Cli.Connection;
using ComIO.Cli.Output;

namespace ComIO.Cli.Commands;

/// <summary><c>comio config set|show</c>: the profile file and the effective connection settings.</summary>
public sealed class ConfigCommands
{
    [Command("set", Description = "Store a setting in the profile file (endpoint, access_key, secret_key, region)")]
    public Task<int> Set([Argument(Description = "endpoint | access_key | secret_key | region")] string key, [Argument] string value) =>
        CommandRunner.RunAsync(false, () =>
        {
            var normalized = ProfileStore.NormalizeKey(key)
                ?? throw new CliException($"unknown key '{key}' (expected one of: {string.Join(", ", ProfileStore.Keys)})", ExitCodes.Usage);
            var store = new ProfileStore();
            store.Set(normalized, value);
            Console.Error.WriteLine($"{normalized} saved to {store.FilePath}");
            return Task.CompletedTask;
        });

    [Command("show", Description = "Show the effective settings and where each comes from (the secret is masked)")]
    public Task<int> Show(ConnectionOptions options, [Option("json", Description = "JSON output")] bool json = false) =>
        CommandRunner.RunAsync(options.Verbose, () =>
        {
            var store = new ProfileStore();
            var settings = ConnectionResolver.Resolve(options, store);
            var rows = new (string Key, SettingValue Setting)[]
            {
                ("endpoint", settings.Endpoint),
                ("access_key", settings.AccessKey),
                ("secret_key", settings.SecretKey with { Value = Mask(settings.SecretKey.Value) }),
                ("region", settings.Region),
            };
            if (json)
            {
                Json.Write(new
                {
                    profile = store.FilePath,
                    settings = rows.ToDictionary(r => r.Key, r => new { value = r.Setting.Value, source = r.Setting.Source }),
                });
            }
            else
            {
                Console.Out.WriteLine($"profile     {store.FilePath}");
                foreach (var (name, setting) in rows)
                {
                    Console.Out.WriteLine($"{name,-11} {setting.Value ?? "(not set)"}  [{setting.Source}]");
                }
            }

            return Task.CompletedTask;
        });

    private static string? Mask(string? secret) => secret switch
    {
        null => null,
        { Length: > 8 } => secret[..4] + "…",
        _ => "…",
    };
}
