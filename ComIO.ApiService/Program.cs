using System.Text;
using ComIO.ApiService.Authentication;
using ComIO.ApiService.Configuration;
using ComIO.ApiService.Handlers;
using ComIO.ApiService.Nodes;
using ComIO.ApiService.Pipeline;
using ComIO.ApiService.Protocol.Routing;
using Microsoft.Extensions.Options;

ConfigurationErrors.ExitCleanlyOnInvalidConfiguration();
var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddComIOConfigurationFile();
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.Limits.MaxRequestBodySize = null; // S3 limits are enforced per operation (5 GiB single PUT)
    kestrel.AddServerHeader = false;
});

builder.Services.AddOptions<ClusterOptions>().BindConfiguration(ClusterOptions.SectionName);
builder.Services.AddOptions<S3Options>().BindConfiguration(S3Options.SectionName);
builder.Services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName);
builder.Services.AddSingleton(TimeProvider.System);

builder.Services.AddSingleton<ICredentialStore>(sp =>
{
    var auth = sp.GetRequiredService<IOptions<AuthOptions>>().Value;
    if (string.IsNullOrEmpty(auth.AdminAccessKey) || string.IsNullOrEmpty(auth.AdminSecretKey))
    {
        throw new InvalidConfigurationException("auth.admin_access_key and auth.admin_secret_key (Auth:AdminAccessKey, Auth:AdminSecretKey) are required.");
    }

    return new InMemoryCredentialStore([new(auth.AdminAccessKey, auth.AdminSecretKey)]);
});
builder.Services.AddSingleton(sp => new SigV4Authenticator(sp.GetRequiredService<ICredentialStore>(), sp.GetRequiredService<TimeProvider>(), new SigV4Options()));
builder.Services.AddSingleton(sp => new S3TargetParser(sp.GetRequiredService<IOptions<S3Options>>().Value.VirtualHostDomains));

var clusterSecret = builder.Configuration["Cluster:Secret"];
if (string.IsNullOrEmpty(clusterSecret))
{
    throw new InvalidConfigurationException("Cluster:Secret (cluster.secret) is required to call the storage nodes.");
}

builder.Services.AddSingleton<ClusterNodes>();
builder.Services.AddHttpClient<StorageNodeClient>(StorageNodeClient.HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan)
    .AddHttpMessageHandler(() => new ClusterSecretHandler(clusterSecret))
    .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        MaxConnectionsPerServer = 256,
        AutomaticDecompression = System.Net.DecompressionMethods.None,
        UseCookies = false,
    });

builder.Services.AddSingleton<BucketHandlers>();
builder.Services.AddSingleton<ObjectHandlers>();
builder.Services.AddSingleton<BucketLister>();
builder.Services.AddSingleton<ListObjectsHandler>();
builder.Services.AddSingleton<DeleteObjectsHandler>();
builder.Services.AddSingleton<MultipartHandlers>();
builder.Services.AddSingleton<MultipartListingHandlers>();
builder.Services.AddSingleton<TaggingHandlers>();
builder.Services.AddSingleton<S3Router>();
builder.Services.AddSingleton<S3Endpoint>();

var app = builder.Build();
app.MapDefaultEndpoints();
// Every path that is not /health, /alive or /metrics is S3 (any method, any key, including ones with dots).
var endpoint = app.Services.GetRequiredService<S3Endpoint>();
app.MapFallback("{**path}", endpoint.HandleAsync);
app.Run();
