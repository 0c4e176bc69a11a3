using ComIO.ReplicationWorker;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddComIOConfigurationFile();
builder.AddRedisClient("redis", settings => settings.DisableTracing = false);
builder.Services.AddOptions<ReplicationWorkerOptions>().BindConfiguration(ReplicationWorkerOptions.SectionName);
builder.Services.AddHostedService<ReplicationStreamSetup>();

var app = builder.Build();
app.MapDefaultEndpoints();
app.Run();
