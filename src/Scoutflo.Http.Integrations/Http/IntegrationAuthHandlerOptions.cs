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
    /// Request options every request of the client carries unless the request sets the same key
    /// itself: how a provider's per-client choice travels (Slack's <c>SlackTokenKind</c> is one),
    /// typed by <see cref="HttpRequestOptionsKey{TValue}"/>. Default empty.
    /// </summary>
    public HttpRequestOptions DefaultRequestOptions { get; } = new();
}
