namespace Scoutflo.Http.Integrations.Providers.Sentry;

/// <summary>Sentry's own log lines (event id 2201 of the providers' range; see Telemetry/Log.cs).</summary>
internal static partial class SentryLog
{
    [LoggerMessage(2201, LogLevel.Warning, "Sentry integration {IntegrationId}: its base origin {Origin} is not one of the Sentry app's allowed hosts; its tokens are not refreshed there.")]
    public static partial void BaseRefused(ILogger logger, string integrationId, string origin);
}
