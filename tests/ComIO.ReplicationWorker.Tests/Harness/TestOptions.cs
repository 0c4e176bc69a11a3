using ComIO.ReplicationWorker.Configuration;
using Microsoft.Extensions.Options;

namespace ComIO.ReplicationWorker.Tests.Harness;

public static class TestOptions
{
    public static IOptions<ReplicationWorkerOptions> Worker(Action<ReplicationWorkerOptions>? configure = null)
    {
        var options = new ReplicationWorkerOptions { SourceEndpoint = new Uri("http://127.0.0.1:9"), AccessKey = "AKIDEXAMPLE", SecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" };
        configure?.Invoke(options);
        return Options.Create(options);
    }

    public static IOptions<LocalSiteOptions> Site => Options.Create(new LocalSiteOptions { Name = "east", ClusterSecret = "cluster-secret" });
}
