using System.Net.Sockets;
using StackExchange.Redis;

namespace Scoutflo.Http.Integrations.Redis.Internal;

/// <summary>
/// Tells an outage apart from a bug, and logs an outage once per burst rather than once per
/// request: during an outage every request fails the same way, and a log line per request
/// would bury everything else.
/// </summary>
internal sealed class RedisFailures(string component, string consequence, TimeProvider timeProvider, ILogger logger)
{
    public static readonly TimeSpan QuietPeriod = TimeSpan.FromSeconds(30);

    private long _lastLoggedTimestamp;
    private int _degraded;

    /// <summary>Connection failures, time-outs and server errors: Redis did not do what was asked.</summary>
    public static bool IsOutage(Exception exception) =>
        exception is RedisException or TimeoutException or SocketException;

    public void Report(Exception exception)
    {
        Volatile.Write(ref _degraded, 1);
        var now = timeProvider.GetTimestamp();
        var last = Interlocked.Read(ref _lastLoggedTimestamp);
        if ((last == 0 || timeProvider.GetElapsedTime(last, now) >= QuietPeriod)
            && Interlocked.CompareExchange(ref _lastLoggedTimestamp, now, last) == last)
        {
            Log.RedisUnavailable(logger, component, consequence, (int)QuietPeriod.TotalSeconds, exception);
        }
    }

    /// <summary>
    /// Called after a success; logs the recovery once after an outage (one volatile read
    /// otherwise). The quiet period is not reset, so a flapping connection logs its failures
    /// at most once per period too.
    /// </summary>
    public void Succeeded()
    {
        if (Volatile.Read(ref _degraded) != 0 && Interlocked.Exchange(ref _degraded, 0) != 0)
        {
            Log.RedisRecovered(logger, component);
        }
    }
}
