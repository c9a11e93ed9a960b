namespace Scoutflo.Http.Integrations.Redis.Internal;

/// <summary>
/// What the Redis token cache and refresh lock both hold: the shared connection, the clock, the
/// logger, and the outage reporting that names the part and what its outage costs. One
/// constructor, so that the two cannot drift in how they check or report.
/// </summary>
internal abstract class RedisStoragePart
{
    private protected RedisStoragePart(RedisConnection connection, TimeProvider timeProvider, ILogger logger, string component, string outageConsequence)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        Connection = connection;
        Time = timeProvider;
        Logger = logger;
        Failures = new RedisFailures(component, outageConsequence, timeProvider, logger);
    }

    private protected RedisConnection Connection { get; }

    private protected TimeProvider Time { get; }

    private protected ILogger Logger { get; }

    private protected RedisFailures Failures { get; }
}
