namespace Scoutflo.Http.Integrations.Redis.Internal;

/// <summary>
/// The Redis adapters' log lines: event ids 3020-3059 of the library's storage range
/// (3000-3099). Parameters are keys, ids and components, never a token or a configuration string.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(3020, LogLevel.Warning, "Redis is unreachable ({Component}): {Consequence} Further failures in the next {QuietSeconds} s are not logged.")]
    public static partial void RedisUnavailable(ILogger logger, string component, string consequence, int quietSeconds, Exception exception);

    [LoggerMessage(3021, LogLevel.Information, "Redis answers again ({Component}).")]
    public static partial void RedisRecovered(ILogger logger, string component);

    [LoggerMessage(3022, LogLevel.Warning, "The cached access token at {Key} has no expiry; it is ignored and will be replaced by the next refresh.")]
    public static partial void CachedTokenWithoutExpiry(ILogger logger, string key);

    [LoggerMessage(3023, LogLevel.Debug, "Lock {Key} is held by another owner; gave up after waiting {WaitMilliseconds} ms.")]
    public static partial void LockWaitTimedOut(ILogger logger, string key, long waitMilliseconds);

    [LoggerMessage(3024, LogLevel.Debug, "Lock {Key} was no longer held by this owner when released (its lease had expired).")]
    public static partial void LockLostBeforeRelease(ILogger logger, string key);

    [LoggerMessage(3040, LogLevel.Debug, "Connection {IntegrationId} was changed by another process; its resolution here is forgotten.")]
    public static partial void ConnectionInvalidatedElsewhere(ILogger logger, string integrationId);

    [LoggerMessage(3041, LogLevel.Debug, "Lock {Key} was released by its holder; a waiter here tries again at once.")]
    public static partial void LockReleaseHeard(ILogger logger, string key);
}
