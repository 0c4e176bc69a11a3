using ComIO.StorageNode.Devices;
using ComIO.StorageNode.Engines;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ComIO.ApiService.Tests.Faults;

/// <summary>
/// A storage node in process on real Kestrel (127.0.0.1, ephemeral port) whose device is wrapped by
/// <paramref name="interceptor"/> through the node's test hook <see cref="IBlockDeviceInterceptor"/>.
/// </summary>
internal sealed class FaultyNodeFactory(IReadOnlyDictionary<string, string> settings, FaultInterceptor interceptor) : WebApplicationFactory<NodeEngines>
{
    public Uri BaseAddress { get; private set; } = null!;

    public FaultyNodeFactory Start()
    {
        BaseAddress = ComIO.ApiService.Tests.S3.Harness.LoopbackKestrel.Start(this);
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.ClearProviders());
        builder.ConfigureServices(services => services.AddSingleton<IBlockDeviceInterceptor>(interceptor));
    }
}
