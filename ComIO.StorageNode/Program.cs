using System.Text;
using ComIO.Contracts.Nodes;
using ComIO.StorageNode.Configuration;
using ComIO.StorageNode.Endpoints;
using ComIO.StorageNode.Engines;
using ComIO.StorageNode.Health;
using ComIO.StorageNode.Scrubbing;
using ComIO.StorageNode.Telemetry;

ConfigurationErrors.ExitCleanlyOnInvalidConfiguration();
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddComIOConfigurationFile();
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = null);

builder.Services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.SectionName).ValidateOnStart();
builder.Services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<StorageOptions>, StorageOptionsValidator>();
builder.Services.AddOptions<NodeOptions>().BindConfiguration(NodeOptions.SectionName);
builder.Services.AddSingleton<NodeEngines>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<NodeEngines>());
builder.Services.AddHealthChecks().AddCheck<DeviceHealthCheck>("devices");
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<ScrubState>();
builder.Services.AddSingleton<NodeScrubber>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<NodeScrubber>());
builder.Services.AddSingleton<NodeMetrics>();

var clusterSecret = builder.Configuration["Cluster:Secret"];
if (string.IsNullOrEmpty(clusterSecret))
{
    throw new InvalidConfigurationException("Cluster:Secret (cluster.secret) is required: the internal API is never open without it.");
}

var app = builder.Build();
app.Services.GetRequiredService<NodeMetrics>();
app.MapDefaultEndpoints();
app.MapGroup(InternalApi.Prefix)
    .AddEndpointFilter(new ClusterSecretFilter(Encoding.UTF8.GetBytes(clusterSecret)))
    .MapBucketEndpoints()
    .MapObjectEndpoints()
    .MapTaggingEndpoints()
    .MapDocumentEndpoints()
    .MapMultipartEndpoints()
    .MapMaintenanceEndpoints();
app.Run();
