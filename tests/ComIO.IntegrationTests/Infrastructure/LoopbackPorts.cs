using System.Net;
using System.Net.Sockets;

namespace ComIO.IntegrationTests.Infrastructure;

/// <summary>
/// Free TCP ports on 127.0.0.1 for servers that bind a port given in their configuration, so test topologies and servers
/// can run beside `make run` and each other.
/// </summary>
/// <remarks>
/// The ports come from outside the kernel's ephemeral range. A port the kernel hands out for a bind to port 0 is also
/// what it hands out to any process's next outgoing connection or port-0 listener; between the pick and the server's
/// bind (seconds, while other servers of the same test start) one of those took it, and the server failed with "address
/// already in use". Outside that range only another explicit pick can take a port, and this process never hands out one
/// twice.
/// </remarks>
public static class LoopbackPorts
{
    private const int LowestPort = 20000;
    private static readonly HashSet<int> HandedOut = [];
    private static readonly int[] Candidates = CandidatePorts();

    /// <summary>A port free right now, never handed out before by this process (bind to it soon: nothing reserves it).</summary>
    public static int Free()
    {
        lock (HandedOut)
        {
            for (var attempt = 0; attempt < 1000 && Candidates.Length > 0; attempt++)
            {
                var port = Candidates[Random.Shared.Next(Candidates.Length)];
                if (!HandedOut.Contains(port) && CanBind(port))
                {
                    HandedOut.Add(port);
                    return port;
                }
            }
        }

        // No port outside the ephemeral range is free (or the range covers them all): let the kernel pick.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool CanBind(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Ports from <see cref="LowestPort"/> up that lie outside the kernel's ephemeral range.</summary>
    private static int[] CandidatePorts()
    {
        var (first, last) = (32768, 60999); // Linux's default
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            (first, last) = (int.Parse(range[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(range[1], System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
        }

        return [.. Enumerable.Range(LowestPort, IPEndPoint.MaxPort - LowestPort + 1).Where(port => port < first || port > last)];
    }
}
