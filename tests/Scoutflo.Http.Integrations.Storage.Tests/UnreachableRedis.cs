using System.Net;
using System.Net.Sockets;
using Scoutflo.Http.Integrations.Storage.Redis;
using StackExchange.Redis;

namespace Scoutflo.Http.Integrations.Storage.Tests;

/// <summary>A Redis "server" on a loopback port nobody listens on, with short time-outs.</summary>
internal static class UnreachableRedis
{
    public static RedisConnection CreateConnection()
    {
        var options = new ConfigurationOptions
        {
            EndPoints = { new IPEndPoint(IPAddress.Loopback, FreePort()) },
            ConnectTimeout = 200,
            AsyncTimeout = 300,
            SyncTimeout = 300,
            ConnectRetry = 0,
        };

        // Through the library's own lazy, abortConnect=false connection: the path UseRedis(string) takes.
        return new RedisConnection(options);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
