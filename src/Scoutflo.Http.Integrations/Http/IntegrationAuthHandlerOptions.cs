namespace Scoutflo.Http.Integrations;

/// <summary>Per-client settings of <see cref="IntegrationAuthHandler"/>, configured by client name.</summary>
public sealed class IntegrationAuthHandlerOptions
{
    /// <summary>
    /// The integration the client acts for, unless a request says otherwise with
    /// <see cref="HttpRequestMessageIntegrationExtensions.SetIntegrationId"/>. Default <see langword="null"/>
    /// (every request must name one).
    /// </summary>
    public string? IntegrationId { get; set; }

    /// <summary>
    /// Whether a 401 (or the provider's expired-token signal) triggers one refresh and one
    /// resend for credentials that can be refreshed. Default <see langword="true"/>.
    /// </summary>
    public bool RefreshOnUnauthorized { get; set; } = true;

    /// <summary>
    /// Slack connections: which of the connection's tokens the client's requests carry, unless a
    /// request says otherwise with <see cref="HttpRequestMessageIntegrationExtensions.SetSlackTokenKind"/>.
    /// Other providers ignore it. Default <see cref="SlackTokenKind.Bot"/>.
    /// </summary>
    public SlackTokenKind SlackTokenKind { get; set; } = SlackTokenKind.Bot;
}
