using Microsoft.Extensions.Logging;

namespace Scoutflo.Http.Integrations.Telemetry;

/// <summary>
/// Every log line of the library, with fixed event ids. Parameters are ids, provider names,
/// origins and counts: never a token, secret, code, state or header value.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(1000, LogLevel.Information, "Integration {IntegrationId} created ({Provider}, {AuthType}).")]
    public static partial void ConnectionCreated(ILogger logger, string integrationId, string provider, string authType);

    [LoggerMessage(1001, LogLevel.Debug, "Integration {IntegrationId} resolved from the store ({Provider}, API origin {ApiOrigin}).")]
    public static partial void ConnectionResolved(ILogger logger, string integrationId, string provider, string apiOrigin);

    [LoggerMessage(1002, LogLevel.Information, "Integration {IntegrationId} deleted.")]
    public static partial void ConnectionDeleted(ILogger logger, string integrationId);

    [LoggerMessage(1100, LogLevel.Warning, "Integration {IntegrationId}: a request to {RequestedOrigin} was refused; its credential may only go to {AllowedOrigin}.")]
    public static partial void HostRefused(ILogger logger, string integrationId, string requestedOrigin, string allowedOrigin);

    [LoggerMessage(1101, LogLevel.Trace, "Integration {IntegrationId}: request mapped onto {ApiOrigin}.")]
    public static partial void RequestMapped(ILogger logger, string integrationId, string apiOrigin);

    // 3000-3099: storage adapters (MongoDB 3000-3019, Redis 3020-3059).

    [LoggerMessage(3000, LogLevel.Debug, "MongoDB indexes of collection {Collection} are in place.")]
    public static partial void MongoIndexesEnsured(ILogger logger, string collection);

    [LoggerMessage(3001, LogLevel.Warning, "MongoDB indexes of collection {Collection} could not be created; reads by account are slower, results are unaffected.")]
    public static partial void MongoIndexCreationFailed(ILogger logger, string collection, Exception exception);

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
}
