using System.Net;
using System.Net.Sockets;
using Scoutflo.Http.Integrations.Redis.Internal;
using StackExchange.Redis;
using Scoutflo.Http.Integrations.TestSupport;

namespace Scoutflo.Http.Integrations.Storage.Tests;

/// <summary>A Redis "server" on a loopback port nobody listens on, with short time-outs.</summary>
internal static class UnreachableRedis
{
    public static RedisConnection CreateConnection()
    {
        var options = new ConfigurationOptions
        {
            EndPoints = { new IPEndPoint(IPAddress.Loopback, LoopbackPorts.Unused()) },
            ConnectTimeout = 200,
            AsyncTimeout = 300,
            SyncTimeout = 300,
            ConnectRetry = 0,
        };

        // Through the library's own lazy, abortConnect=false connection: the path UseRedis(string) takes.
        return new RedisConnection(options);
    }

    /// <summary>
    /// A "server" that accepts connections and never answers a byte, behind a client whose own
    /// time-outs are a minute long: only the library's per-operation bound, running on
    /// <paramref name="time"/>, can end an operation.
    /// </summary>
    public static (RedisConnection Connection, IDisposable Server) CreateSilent(TimeProvider time, TimeSpan operationTimeout)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var options = new ConfigurationOptions
        {
            EndPoints = { listener.LocalEndpoint },
            ConnectTimeout = 60_000,
            AsyncTimeout = 60_000,
            SyncTimeout = 60_000,
            ConnectRetry = 0,
        };

        return (new RedisConnection(options, operationTimeout, time), new Stopper(listener));
    }

    private sealed class Stopper(TcpListener listener) : IDisposable
    {
        public void Dispose() => listener.Stop();
    }
}
