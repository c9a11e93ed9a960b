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

    [LoggerMessage(1010, LogLevel.Warning, "Integration {IntegrationId} ({Provider}): the stored record was refused when resolved ({ErrorCode}); nothing is sent with it.")]
    public static partial void StoredRecordRefused(ILogger logger, string integrationId, string provider, string errorCode);

    [LoggerMessage(1100, LogLevel.Warning, "Integration {IntegrationId}: a request to {RequestedOrigin} was refused; its credential may only go to {AllowedOrigin}.")]
    public static partial void HostRefused(ILogger logger, string integrationId, string requestedOrigin, string allowedOrigin);

    [LoggerMessage(1101, LogLevel.Trace, "Integration {IntegrationId}: request mapped onto {ApiOrigin}.")]
    public static partial void RequestMapped(ILogger logger, string integrationId, string apiOrigin);

    [LoggerMessage(1103, LogLevel.Debug, "{ClientName}: {Method} {Target} answered {StatusCode} in {ElapsedMs} ms.")]
    public static partial void HttpAttempt(ILogger logger, string clientName, string method, string target, int statusCode, double elapsedMs);

    [LoggerMessage(1104, LogLevel.Debug, "{ClientName}: {Method} {Target} failed with {Failure} after {ElapsedMs} ms.")]
    public static partial void HttpAttemptFailed(ILogger logger, string clientName, string method, string target, string failure, double elapsedMs);

    [LoggerMessage(1102, LogLevel.Trace, "Integration {IntegrationId} ({Provider}): {AuthType} credential attached.")]
    public static partial void CredentialAttached(ILogger logger, string integrationId, string provider, string authType);

    [LoggerMessage(2000, LogLevel.Warning, "{Provider} token request failed ({Failure}); attempt {Attempt}, trying again in {DelayMs} ms.")]
    public static partial void TokenRequestRetry(ILogger logger, string provider, int attempt, string failure, double delayMs);

    [LoggerMessage(2001, LogLevel.Information, "Integration {IntegrationId} ({Provider}): refreshing its access token.")]
    public static partial void RefreshStarted(ILogger logger, string integrationId, string provider);

    [LoggerMessage(2002, LogLevel.Information, "Integration {IntegrationId} ({Provider}): access token refreshed; {SiblingCount} sibling(s) given the rotated refresh token.")]
    public static partial void RefreshSucceeded(ILogger logger, string integrationId, string provider, int siblingCount);

    [LoggerMessage(2003, LogLevel.Warning, "Integration {IntegrationId} ({Provider}): refresh failed with {ErrorCode}.")]
    public static partial void RefreshFailed(ILogger logger, string integrationId, string provider, string errorCode);

    [LoggerMessage(2004, LogLevel.Debug, "Integration {IntegrationId}: another caller refreshed meanwhile; its token is used.")]
    public static partial void RefreshedElsewhere(ILogger logger, string integrationId);

    [LoggerMessage(2020, LogLevel.Debug, "Integration {IntegrationId}: refresh lock lease extended to {LeaseSeconds} s.")]
    public static partial void LeaseExtended(ILogger logger, string integrationId, double leaseSeconds);

    [LoggerMessage(2021, LogLevel.Warning, "Integration {IntegrationId}: the refresh lock's lease was lost ({Reason}); the token request is stopped.")]
    public static partial void LeaseLost(ILogger logger, string integrationId, string reason);

    [LoggerMessage(2022, LogLevel.Information, "Integration {IntegrationId} ({Provider}) was deleted or re-installed during a refresh; the rotation's result is dropped.")]
    public static partial void RotationDropped(ILogger logger, string integrationId, string provider);

    [LoggerMessage(2023, LogLevel.Warning, "Integration {IntegrationId} ({Provider}): adopted a journaled rotation the store had not taken ({SiblingCount} siblings).")]
    public static partial void RotationAdopted(ILogger logger, string integrationId, string provider, int siblingCount);

    [LoggerMessage(2005, LogLevel.Warning, "Integration {IntegrationId} ({Provider}) needs re-authorisation: {Reason}.")]
    public static partial void ReauthorizationRequired(ILogger logger, string integrationId, string provider, string reason);

    [LoggerMessage(2006, LogLevel.Debug, "Integration {IntegrationId}: waited {WaitMs} ms for the refresh lock {Acquired}.")]
    public static partial void LockWait(ILogger logger, string integrationId, double waitMs, string acquired);

    [LoggerMessage(2007, LogLevel.Information, "Integration {IntegrationId} ({Provider}): credential refused with HTTP {StatusCode}; refreshed, sending the request once more.")]
    public static partial void RetryAfterRefresh(ILogger logger, string integrationId, string provider, int statusCode);

    [LoggerMessage(2008, LogLevel.Debug, "Integration {IntegrationId}: HTTP 401 returned as is ({Reason}).")]
    public static partial void UnauthorizedReturned(ILogger logger, string integrationId, string reason);

    [LoggerMessage(2100, LogLevel.Warning, "OAuth callback for {Provider} refused: {ErrorCode}.")]
    public static partial void StateRejected(ILogger logger, string provider, string errorCode);

    [LoggerMessage(2101, LogLevel.Information, "OAuth install of {Provider} for account {AccountId} completed.")]
    public static partial void InstallCompleted(ILogger logger, string provider, string accountId);

    [LoggerMessage(2102, LogLevel.Warning, "No StateSigningKey is configured: OAuth states are signed with a random per-process key, so a callback must reach the process that built the install URL.")]
    public static partial void EphemeralStateKey(ILogger logger);

    // 2300-2349: events and keep-alive.

    [LoggerMessage(2300, LogLevel.Warning, "The integration event handler {Handler} threw on {EventName} for integration {IntegrationId}; the request goes on.")]
    public static partial void EventHandlerFailed(ILogger logger, string handler, string eventName, string integrationId, Exception exception);

    [LoggerMessage(2310, LogLevel.Information, "Keep-alive pass: {Found} OAuth integration(s) idle since {IdleSince:O}; {Refreshed} refreshed, {Skipped} skipped, {Failed} failed.")]
    public static partial void KeepAlivePass(ILogger logger, int found, DateTimeOffset idleSince, int refreshed, int skipped, int failed);

    [LoggerMessage(2311, LogLevel.Warning, "Keep-alive could not refresh integration {IntegrationId} ({Provider}): {ErrorCode}.")]
    public static partial void KeepAliveRefreshFailed(ILogger logger, string integrationId, string provider, string errorCode);

    [LoggerMessage(2312, LogLevel.Error, "A keep-alive pass failed; the next one runs in {IntervalSeconds} s.")]
    public static partial void KeepAlivePassFailed(ILogger logger, double intervalSeconds, Exception exception);

    [LoggerMessage(2313, LogLevel.Debug, "Keep-alive refreshed integration {IntegrationId} ({Provider}).")]
    public static partial void KeepAliveRefreshed(ILogger logger, string integrationId, string provider);

    // 2200-2299: the providers' own lines, logged from their folders (SlackLog 2200, SentryLog 2201).
    // 3000-3099: storage adapters, logged by their own packages (MongoDB 3000-3019, Redis 3020-3059).
}
