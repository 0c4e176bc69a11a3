using System.Security.Cryptography;
using ComIO.AppHost.Redis;
using ComIO.AppHost.Topology;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

ConfigurationErrors.ExitCleanlyOnInvalidConfiguration();
var builder = DistributedApplication.CreateBuilder(args);

// Topology: appsettings.json's ComIO section, or the YAML file of --config / COMIO_CONFIG (its `sites` list and
// credentials), validated like every service's file.
var topology = TopologyConfiguration.Load(builder.Configuration);

var dataDirectory = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, topology.DataDirectory));

// Credentials: admin keys from configuration (Parameters:admin-access-key / admin-secret-key); the cluster secret
// that authenticates API -> node calls from configuration, or a fresh random one for this run.
var adminAccessKey = builder.AddParameter("admin-access-key");
var adminSecretKey = builder.AddParameter("admin-secret-key", secret: true);
var clusterSecretValue = builder.Configuration["Parameters:cluster-secret"];
if (string.IsNullOrEmpty(clusterSecretValue))
{
    builder.Configuration["Parameters:cluster-secret"] = RandomNumberGenerator.GetHexString(64, lowercase: true);
}
var clusterSecret = builder.AddParameter("cluster-secret", secret: true);

// The key that encrypts users' secret access keys at rest must outlive the run: from configuration
// (Parameters:secret-encryption-key), else generated once and kept in the data directory (mode 0600).
if (string.IsNullOrEmpty(builder.Configuration["Parameters:secret-encryption-key"]))
{
    builder.Configuration["Parameters:secret-encryption-key"] = SecretEncryptionKeyFile.LoadOrCreate(Path.Combine(dataDirectory, "secret-encryption.key"));
}
var secretEncryptionKey = builder.AddParameter("secret-encryption-key", secret: true);

// The SSE-S3 master key (wraps every object's data key): from configuration (Parameters:sse-master-key), else generated
// once into the data directory beside the device images' folders, never onto a data device (docs/encryption.md).
if (string.IsNullOrEmpty(builder.Configuration["Parameters:sse-master-key"]))
{
    builder.Configuration["Parameters:sse-master-key"] = SecretEncryptionKeyFile.LoadOrCreate(Path.Combine(dataDirectory, "sse-master.key"));
}
var sseMasterKey = builder.AddParameter("sse-master-key", secret: true);

var apis = new List<IResourceBuilder<ProjectResource>>();
var workers = new List<IResourceBuilder<ProjectResource>>();
foreach (var site in topology.Sites)
{
    var siteData = Path.Combine(dataDirectory, site.Name);
    var redis = builder.AddRedisServer($"{site.Name}-redis", site.RedisPort, Path.Combine(siteData, "redis"));

    var nodes = new List<IResourceBuilder<ProjectResource>>();
    for (var n = 1; n <= site.Nodes; n++)
    {
        var nodeId = $"{site.Name}-node{n}";
        var devicePath = n <= site.DevicePaths.Count && !string.IsNullOrWhiteSpace(site.DevicePaths[n - 1])
            ? site.DevicePaths[n - 1]
            : Path.Combine(siteData, nodeId, "device.img");
        DeviceImages.EnsureFormatted(devicePath, site.DeviceSizeMiB * 1024 * 1024);

        var node = builder.AddProject<Projects.ComIO_StorageNode>(nodeId)
            .WithHttpEndpoint(name: "http")
            .WithEnvironment(ConfigurationFileExtensions.ConfigFileVariable, "") // settings come from here, not the AppHost's file
            .WithEnvironment("Node__Id", nodeId)
            .WithEnvironment("Node__Site", site.Name)
            .WithEnvironment("Storage__Devices__0__Path", devicePath)
            .WithEnvironment("Storage__Devices__0__Type", devicePath.StartsWith("/dev/", StringComparison.Ordinal) ? "block" : "file")
            .WithEnvironment("Storage__MetadataPath", Path.Combine(siteData, nodeId, "meta"))
            .WithEnvironment("Cluster__Secret", clusterSecret)
            .WithReference(redis, connectionName: "redis")
            .WithHttpHealthCheck("/health");
        nodes.Add(node);
    }

    var api = builder.AddProject<Projects.ComIO_ApiService>($"{site.Name}-api")
        .WithHttpEndpoint(name: "http", port: site.S3Port)
        .WithReplicas(site.ApiReplicas)
        .WithEnvironment(ConfigurationFileExtensions.ConfigFileVariable, "")
        .WithEnvironment("Site__Name", site.Name)
        .WithEnvironment("Cluster__Secret", clusterSecret)
        .WithEnvironment("Auth__AdminAccessKey", adminAccessKey)
        .WithEnvironment("Auth__AdminSecretKey", adminSecretKey)
        .WithEnvironment("Auth__SecretEncryptionKey", secretEncryptionKey)
        .WithEnvironment("Encryption__MasterKey", sseMasterKey)
        .WithEnvironment("Encryption__AllowSseCOverHttp", "true") // the local topology is plain HTTP on loopback
        .WithReference(redis, connectionName: "redis")
        .WithHttpHealthCheck("/health");
    apis.Add(api);
    for (var i = 0; i < nodes.Count; i++)
    {
        api.WithReference(nodes[i])
            .WithEnvironment($"Cluster__Nodes__{i}", nodes[i].Resource.Name)
            .WaitFor(nodes[i]);
    }

    // The worker reads this site's stream, the source versions through this site's S3 endpoint, and reports to the
    // nodes that hold the outbox entries (by service name: it references every node of the site).
    var worker = builder.AddProject<Projects.ComIO_ReplicationWorker>($"{site.Name}-replication")
        .WithHttpEndpoint(name: "http")
        .WithEnvironment(ConfigurationFileExtensions.ConfigFileVariable, "")
        .WithEnvironment("Site__Name", site.Name)
        .WithEnvironment("Cluster__Secret", clusterSecret)
        .WithEnvironment("Replication__SourceEndpoint", api.GetEndpoint("http"))
        .WithEnvironment("Replication__AccessKey", adminAccessKey)
        .WithEnvironment("Replication__SecretKey", adminSecretKey)
        .WithReference(redis, connectionName: "redis")
        .WaitFor(redis)
        .WaitFor(api)
        .WithHttpHealthCheck("/health");
    foreach (var node in nodes)
    {
        worker.WithReference(node);
    }

    workers.Add(worker);
}

// Replication destinations: each site may replicate to every other site (or to those its replicate_to names); which
// buckets and prefixes replicate is each bucket's replication configuration (PutBucketReplication / comio replication).
for (var i = 0; i < topology.Sites.Count; i++)
{
    var site = topology.Sites[i];
    for (var j = 0; j < topology.Sites.Count; j++)
    {
        var other = topology.Sites[j];
        if (i == j || (site.ReplicateTo.Count > 0 && !site.ReplicateTo.Contains(other.Name)))
        {
            continue;
        }

        var endpoint = apis[j].GetEndpoint("http");
        apis[i].WithEnvironment($"Replication__Sites__{other.Name}__Endpoint", endpoint);
        workers[i].WithEnvironment($"Replication__Sites__{other.Name}__Endpoint", endpoint);
    }
}

// Every site knows the same users: each API service sends identity changes to the other sites' API services.
foreach (var api in apis)
{
    var peer = 0;
    foreach (var other in apis.Where(other => other != api))
    {
        api.WithEnvironment($"Identity__PeerSites__{peer++}", other.GetEndpoint("http"));
    }
}

builder.Build().Run();
