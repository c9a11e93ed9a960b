using Scoutflo.Http.Integrations.Http.Internal;

namespace Scoutflo.Http.Integrations;

/// <summary>A thin typed client for Jira Service Management (<c>rest/servicedeskapi</c> on the Jira API base).</summary>
/// <param name="httpClient">The client from <c>AddJsmClient</c> or <see cref="IIntegrationClientFactory"/>.</param>
public sealed class JsmClient(HttpClient httpClient)
{
    /// <summary>The underlying client, for any other call.</summary>
    public HttpClient HttpClient { get; } = httpClient ?? throw new ArgumentNullException(nameof(httpClient));

    /// <summary>The service desks the user can see (<c>GET /rest/servicedeskapi/servicedesk</c>), as Jira sent them.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="IntegrationApiException">Jira answered with an error status; it carries the provider's error messages.</exception>
    public Task<JsonElement> GetServiceDesksAsync(CancellationToken cancellationToken = default) =>
        ProviderErrorResponse.GetJsonAsync<JsonElement>(HttpClient, "rest/servicedeskapi/servicedesk", IntegrationProviders.Jsm, null, cancellationToken);

    /// <summary>One customer request (<c>GET /rest/servicedeskapi/request/{issueIdOrKey}</c>), as Jira sent it.</summary>
    /// <param name="issueIdOrKey">The request's issue id or key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="IntegrationApiException">Jira answered with an error status; it carries the provider's error messages.</exception>
    public Task<JsonElement> GetRequestAsync(string issueIdOrKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(issueIdOrKey);
        return ProviderErrorResponse.GetJsonAsync<JsonElement>(HttpClient, $"rest/servicedeskapi/request/{Uri.EscapeDataString(issueIdOrKey)}", IntegrationProviders.Jsm, null, cancellationToken);
    }
}
