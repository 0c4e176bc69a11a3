using System.Net;
using System.Net.Sockets;

namespace ComIO.IntegrationTests.Infrastructure;

/// <summary>Free TCP ports on 127.0.0.1, so test topologies and servers can run beside `make run` and each other.</summary>
public static class LoopbackPorts
{
    /// <summary>A port the OS reports free right now (bind to it soon: nothing reserves it).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
