using System.Net;
using System.Net.Sockets;

namespace Scoutflo.Http.Integrations.TestSupport;

/// <summary>
/// Loopback ports for a test that binds a server itself or needs a port where nothing listens.
/// A port the kernel handed out (binding port 0) goes back to its pool for outgoing connections
/// and other listeners of port 0, so another test process can take it between the check and the
/// use. These ports come from below Linux's ephemeral range (32768-60999), where only a listener
/// asking for that very port can take it.
/// </summary>
internal static class LoopbackPorts
{
    private const int First = 20000;
    private const int Count = 12000;
    private static int _next = Random.Shared.Next(Count);

    /// <summary>A port on 127.0.0.1 with no listener at the time of the call.</summary>
    public static int Unused()
    {
        for (var attempt = 0; attempt < Count; attempt++)
        {
            var port = First + (Interlocked.Increment(ref _next) % Count);
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
            }
        }

        throw new InvalidOperationException($"No free loopback port between {First} and {First + Count}.");
    }
}
