namespace Scoutflo.Http.Integrations;

/// <summary>Per-request choice of the integration whose credential a request carries.</summary>
public static class HttpRequestMessageIntegrationExtensions
{
    internal static readonly HttpRequestOptionsKey<string> IntegrationIdKey = IntegrationRequestOptions.IntegrationId;

    internal static readonly HttpRequestOptionsKey<SlackTokenKind> SlackTokenKindKey = IntegrationRequestOptions.SlackTokenKind;

    /// <summary>
    /// Sends this request on behalf of <paramref name="integrationId"/>; it wins over the id the
    /// client was registered with.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="integrationId">The integration id.</param>
    /// <returns>The same request.</returns>
    public static HttpRequestMessage SetIntegrationId(this HttpRequestMessage request, string integrationId)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrEmpty(integrationId);
        request.Options.Set(IntegrationIdKey, integrationId);
        return request;
    }

    /// <summary>The integration id set on this request, or <see langword="null"/>.</summary>
    /// <param name="request">The request.</param>
    public static string? GetIntegrationId(this HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Options.TryGetValue(IntegrationIdKey, out var id) ? id : null;
    }

    /// <summary>
    /// Slack: sends this request with the connection's <paramref name="tokenKind"/> token, whatever
    /// the client was registered with. Other providers ignore it.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="tokenKind">The bot or the user token.</param>
    /// <returns>The same request.</returns>
    public static HttpRequestMessage SetSlackTokenKind(this HttpRequestMessage request, SlackTokenKind tokenKind)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Options.Set(SlackTokenKindKey, tokenKind);
        return request;
    }

    /// <summary>The Slack token kind set on the request, if any.</summary>
    /// <param name="request">The request.</param>
    /// <returns>The kind, or <see langword="null"/> when the request does not choose.</returns>
    public static SlackTokenKind? GetSlackTokenKind(this HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Options.TryGetValue(SlackTokenKindKey, out var kind) ? kind : null;
    }
}
