using ComIO.ReplicationWorker.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace ComIO.ReplicationWorker.Tests.Unit;

/// <summary>The worker's keys in the shared YAML file: accepted by the schema and read into the options.</summary>
public sealed class ConfigurationFileTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"comio-worker-{Guid.NewGuid():N}.yaml");

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void EveryWorkerKey_IsAcceptedByTheSchema_AndReadIntoTheOptions()
    {
        File.WriteAllText(_path, """
            site:
              name: east
            cluster:
              secret: s3cret
            replication:
              consumer_group: workers
              source_endpoint: http://east.example:8080
              access_key: ak
              secret_key: sk
              region: eu-west-1
              sites:
                west:
                  endpoint: http://west.example:8080
              concurrency: 4
              max_attempts: 20
              initial_backoff: 250ms
              max_backoff: 1m
              min_retry_time: 10m
              claim_idle_time: 90s
              multipart_threshold: 134217728
              part_size: 33554432
              part_concurrency: 2
            """);
        var configuration = new ConfigurationBuilder().AddComIOConfigurationFile(_path).Build();

        var options = new ReplicationWorkerOptions();
        ReplicationWorkerOptionsReader.Read(configuration, options);
        var site = new LocalSiteOptions();
        LocalSiteOptions.Read(configuration, site);

        Assert.Equal(("east", "s3cret"), (site.Name, site.ClusterSecret));
        Assert.Equal(new Uri("http://east.example:8080"), options.SourceEndpoint);
        Assert.Equal(("ak", "sk", "eu-west-1", "workers"), (options.AccessKey, options.SecretKey, options.Region, options.ConsumerGroup));
        Assert.Equal(new Uri("http://west.example:8080"), options.Sites["west"].Endpoint);
        Assert.Equal((4, 20, 2), (options.Concurrency, options.MaxAttempts, options.PartConcurrency));
        Assert.Equal((TimeSpan.FromMilliseconds(250), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(90)),
            (options.InitialBackoff, options.MaxBackoff, options.MinRetryTime, options.ClaimIdleTime));
        Assert.Equal((128L << 20, 32L << 20), (options.MultipartThreshold, options.PartSize));
        Assert.True(new ReplicationWorkerOptionsValidator().Validate(null, options).Succeeded);
    }

    [Fact]
    public void AMisspelledWorkerKey_IsRejectedWithItsLine()
    {
        File.WriteAllText(_path, """
            replication:
              source_endpoint: http://east.example:8080
              claim_idle_tme: 90s
            """);

        var error = Assert.Throws<InvalidConfigurationException>(() => new ConfigurationBuilder().AddComIOConfigurationFile(_path).Build());

        Assert.Contains(":3: replication.claim_idle_tme: unknown key", error.Message, StringComparison.Ordinal);
    }
}
