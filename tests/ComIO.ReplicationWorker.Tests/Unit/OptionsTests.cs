using ComIO.ReplicationWorker.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace ComIO.ReplicationWorker.Tests.Unit;

public sealed class OptionsTests
{
    private static readonly Dictionary<string, string?> Valid = new()
    {
        ["Replication:SourceEndpoint"] = "http://localhost:8080",
        ["Replication:AccessKey"] = "ak",
        ["Replication:SecretKey"] = "sk",
        ["Replication:Sites:west:Endpoint"] = "http://localhost:8081",
    };

    private static ReplicationWorkerOptions Read(Dictionary<string, string?> values)
    {
        var options = new ReplicationWorkerOptions();
        ReplicationWorkerOptionsReader.Read(new ConfigurationBuilder().AddInMemoryCollection(values).Build(), options);
        return options;
    }

    private static Dictionary<string, string?> With(string key, string? value) => new(Valid) { [key] = value };

    [Fact]
    public void Read_KeepsTheDefaults_AndReadsTheSites()
    {
        var options = Read(Valid);

        Assert.Equal(new Uri("http://localhost:8081"), Assert.Single(options.Sites, s => s.Key == "west").Value.Endpoint);
        Assert.Equal((8, 12, "us-east-1"), (options.Concurrency, options.MaxAttempts, options.Region));
        Assert.Equal((TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60)),
            (options.InitialBackoff, options.MaxBackoff, options.ClaimIdleTime));
        Assert.Equal((64L << 20, 16L << 20), (options.MultipartThreshold, options.PartSize));
        Assert.True(new ReplicationWorkerOptionsValidator().Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData("250ms", 250)]
    [InlineData("2s", 2000)]
    [InlineData("1m30s", 90000)]
    [InlineData("3", 3000)]
    [InlineData("00:00:04", 4000)]
    public void Read_AcceptsTheConfigurationFilesDurations(string text, int milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), Read(With("Replication:ClaimIdleTime", text)).ClaimIdleTime);

    [Theory]
    [InlineData("Replication:ClaimIdleTime", "5min")]
    [InlineData("Replication:Concurrency", "eight")]
    [InlineData("Replication:SourceEndpoint", "localhost:8080")]
    [InlineData("Replication:Sites:west:Endpoint", "ftp://x")]
    public void Read_RejectsAnInvalidValue_NamingItsKey(string key, string value)
    {
        var error = Assert.Throws<InvalidConfigurationException>(() => Read(With(key, value)));
        Assert.StartsWith(key, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Replication:SourceEndpoint", null, "Replication:SourceEndpoint")]
    [InlineData("Replication:SecretKey", null, "Replication:SecretKey")]
    [InlineData("Replication:Concurrency", "0", "Replication:Concurrency")]
    [InlineData("Replication:PartSize", "1048576", "Replication:PartSize")]
    [InlineData("Replication:MultipartThreshold", "1024", "Replication:MultipartThreshold")]
    [InlineData("Replication:MaxBackoff", "100ms", "Replication:MaxBackoff")]
    public void Validator_RejectsUnusableSettings_NamingTheKey(string key, string? value, string named)
    {
        var result = new ReplicationWorkerOptionsValidator().Validate(null, Read(With(key, value)));

        Assert.True(result.Failed);
        Assert.Contains(named, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RequiresAnEndpointForEverySite() =>
        Assert.Throws<InvalidConfigurationException>(() => Read(new(Valid) { ["Replication:Sites:north:Region"] = "x" }));
}
