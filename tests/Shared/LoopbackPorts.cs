using System.Net;
using System.Net.Sockets;

namespace ComIO.Testing;

/// <summary>
/// Free TCP ports on loopback for the servers that tests and benchmarks start on a port given in their configuration,
/// so they can run beside `make run` and each other. One source file, linked into each project that needs it.
/// </summary>
/// <remarks>
/// The ports come from outside two ranges that other code draws from between our pick and the server's bind (seconds,
/// while the other servers of a test start):
/// <list type="bullet">
/// <item>the kernel's ephemeral range, which supplies every outgoing connection and port-0 listener of any process (a
/// port picked by binding port 0 was taken that way: "address already in use");</item>
/// <item>Aspire's range for the ports of the services it starts (10000-32767 unless ASPIRE_PROXYLESS_ENDPOINT_PORT_RANGE
/// says otherwise): another test's AppHost could hand our port to one of its services, or we could hand out the port of
/// a service that a fault test has killed and is about to restart.</item>
/// </list>
/// Ports above the ephemeral range come first, lower ones only when there are none. Outside both ranges only another
/// explicit pick can take a port, and this process never hands out one twice.
/// </remarks>
public static class LoopbackPorts
{
    private const int LowestPort = 1024;
    private static readonly (int First, int Last) AspirePorts = AspirePortRange();
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

        // No port outside both ranges is free (or they cover every port): let the kernel pick.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>An http URL on 127.0.0.1 at a port from <see cref="Free"/>.</summary>
    public static string FreeUrl() => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"http://127.0.0.1:{Free()}");

    /// <summary>
    /// Whether the port binds on 127.0.0.1 and, where this machine has an IPv6 loopback, on ::1 (clients that connect to
    /// "localhost" may try either).
    /// </summary>
    private static bool CanBind(int port) =>
        CanBind(IPAddress.Loopback, port) && (!HasIPv6Loopback || CanBind(IPAddress.IPv6Loopback, port));

    private static bool HasIPv6Loopback { get; } = Socket.OSSupportsIPv6 && CanBind(IPAddress.IPv6Loopback, 0);

    private static bool CanBind(IPAddress address, int port)
    {
        try
        {
            using var listener = new TcpListener(address, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>
    /// Ports outside the ephemeral range and Aspire's range: those above the ephemeral range if there are
    /// any, else those from <see cref="LowestPort"/> up.
    /// </summary>
    private static int[] CandidatePorts()
    {
        var ephemeral = EphemeralRange();
        var outside = Enumerable.Range(LowestPort, IPEndPoint.MaxPort - LowestPort + 1)
            .Where(port => !Within(port, ephemeral) && !Within(port, AspirePorts))
            .ToArray();
        var above = outside.Where(port => port > ephemeral.Last).ToArray();
        return above.Length > 0 ? above : outside;
    }

    private static bool Within(int port, (int First, int Last) range) => port >= range.First && port <= range.Last;

    /// <summary>Aspire's range for the ports it gives services: <c>ASPIRE_PROXYLESS_ENDPOINT_PORT_RANGE</c> ("start-end"), else 10000-32767.</summary>
    private static (int First, int Last) AspirePortRange()
    {
        var bounds = Environment.GetEnvironmentVariable("ASPIRE_PROXYLESS_ENDPOINT_PORT_RANGE")?.Split('-');
        return bounds is [var first, var last]
            && int.TryParse(first, System.Globalization.CultureInfo.InvariantCulture, out var start)
            && int.TryParse(last, System.Globalization.CultureInfo.InvariantCulture, out var end)
            ? (start, end)
            : (10000, 32767);
    }

    private static (int First, int Last) EphemeralRange()
    {
        try
        {
            var range = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            return (int.Parse(range[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(range[1], System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return (32768, 60999); // Linux's default
        }
    }
}
