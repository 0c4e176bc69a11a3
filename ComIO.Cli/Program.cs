using Cocona;
using ComIO.Cli.Commands;
using Microsoft.Extensions.Logging;

var builder = CoconaApp.CreateBuilder(args, options => options.EnableShellCompletionSupport = false);
builder.Logging.ClearProviders();
var app = builder.Build();
app.AddSubCommand("bucket", b => b.AddCommands<BucketCommands>()).WithDescription("Create, list, inspect and delete buckets");
app.AddSubCommand("object", o => o.AddCommands<ObjectCommands>()).WithDescription("Upload, download, list, copy, presign and delete objects");
app.AddSubCommand("config", c => c.AddCommands<ConfigCommands>()).WithDescription("Profile file (~/.comio/config) and effective settings");
await app.RunAsync();
