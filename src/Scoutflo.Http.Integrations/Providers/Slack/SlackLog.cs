namespace Scoutflo.Http.Integrations.Providers.Slack;

/// <summary>Slack's own log lines (event id 2200 of the providers' range; see Telemetry/Log.cs).</summary>
internal static partial class SlackLog
{
    [LoggerMessage(2200, LogLevel.Information, "Slack refused a credential with '{SlackError}' in an HTTP 200 body; verdict {Verdict}.")]
    public static partial void CredentialRefused(ILogger logger, string slackError, string verdict);
}
