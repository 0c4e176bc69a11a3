using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace ComIO.ApiService.Tests.S3.Harness;

/// <summary>Starts a <see cref="WebApplicationFactory{TEntryPoint}"/>'s app on real Kestrel at 127.0.0.1 on an ephemeral port.</summary>
internal static class LoopbackKestrel
{
    /// <summary>Starts the server and returns its base address, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    /// <remarks>
    /// Binds through <c>KestrelServerOptions.Listen</c> rather than <c>UseKestrel(port)</c>: the latter rewrites the
    /// server addresses while the app starts Kestrel on its own thread and intermittently fails with "Addresses cannot
    /// be modified after the server has started" (dotnet/aspnetcore#67714; seen here as a class fixture failing at 0 ms).
    /// </remarks>
    public static Uri Start<TEntryPoint>(WebApplicationFactory<TEntryPoint> factory)
        where TEntryPoint : class
    {
        factory.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
        var addresses = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        return new Uri(addresses.First());
    }
}
