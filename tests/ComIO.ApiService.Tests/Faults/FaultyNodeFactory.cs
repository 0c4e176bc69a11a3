using ComIO.StorageNode.Devices;
using ComIO.StorageNode.Engines;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
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
        UseKestrel(0);
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseAddress = new Uri(addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
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
