using Cocona;
using ComIO.Cli.Commands;
using Microsoft.Extensions.Logging;

var builder = CoconaApp.CreateBuilder(args, options => options.EnableShellCompletionSupport = false);
builder.Logging.ClearProviders();
var app = builder.Build();
app.AddSubCommand("bucket", b => b.AddCommands<BucketCommands>()).WithDescription("Create, list, inspect and delete buckets");
app.AddSubCommand("object", o => o.AddCommands<ObjectCommands>()).WithDescription("Upload, download, list, copy, presign and delete objects");
app.AddSubCommand("config", c => c.AddCommands<ConfigCommands>()).WithDescription("Profile file (~/.comio/config) and effective settings");
app.AddSubCommand("admin", a =>
{
    a.AddSubCommand("user", u => u.AddCommands<AdminUserCommands>()).WithDescription("Users: create, list, show, delete, enable, disable");
    a.AddSubCommand("key", k => k.AddCommands<AdminKeyCommands>()).WithDescription("Access keys: create, list, enable, disable, delete, rotate");
    a.AddSubCommand("policy", p => p.AddCommands<AdminPolicyCommands>()).WithDescription("A user's identity policies: put, get, list, delete");
    a.AddSubCommand("kms", k => k.AddCommands<AdminKmsCommands>()).WithDescription("SSE-KMS keys of the local key service: create, list, show, rotate");
    a.AddCommands<AdminStatusCommands>();
}).WithDescription("Administration through the admin API (administrator credentials)");
app.AddSubCommand("lifecycle", l => l.AddCommands<LifecycleCommands>()).WithDescription("Bucket lifecycle rules: set, get, delete");
app.AddSubCommand("replication", r => r.AddCommands<ReplicationCommands>()).WithDescription("Cross-site replication: enable, get, disable, status, resync");
app.AddSubCommand("device", d => d.AddCommands<DeviceCommands>()).WithDescription("Storage-node devices: format, info");
app.AddCommands<ServerCommands>();
await app.RunAsync();
