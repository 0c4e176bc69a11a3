using ComIO.ReplicationWorker.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddComIOConfigurationFile();
builder.AddRedisClient("redis", settings => settings.DisableTracing = false);
builder.Services.AddReplicationWorker();

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
