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
}
