using Scoutflo.Http.Integrations.Http.Internal;

namespace Scoutflo.Http.Integrations;

/// <summary>A thin typed client for Confluence Cloud (paths start with <c>wiki/</c>, as on the site).</summary>
/// <param name="httpClient">The client from <c>AddConfluenceClient</c> or <see cref="IIntegrationClientFactory"/>.</param>
public sealed class ConfluenceClient(HttpClient httpClient)
{
    /// <summary>The underlying client, for any other call.</summary>
    public HttpClient HttpClient { get; } = httpClient ?? throw new ArgumentNullException(nameof(httpClient));

    /// <summary>The first page of spaces (<c>GET /wiki/api/v2/spaces</c>), as Confluence sent it.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="IntegrationApiException">Confluence answered with an error status; it carries the provider's error messages.</exception>
    public Task<JsonElement> GetSpacesAsync(CancellationToken cancellationToken = default) =>
        ProviderErrorResponse.GetJsonAsync<JsonElement>(HttpClient, "wiki/api/v2/spaces", IntegrationProviders.Confluence, null, cancellationToken);

    /// <summary>One page (<c>GET /wiki/api/v2/pages/{id}</c>), as Confluence sent it.</summary>
    /// <param name="pageId">The page id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="IntegrationApiException">Confluence answered with an error status; it carries the provider's error messages.</exception>
    public Task<JsonElement> GetPageAsync(string pageId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(pageId);
        return ProviderErrorResponse.GetJsonAsync<JsonElement>(HttpClient, $"wiki/api/v2/pages/{Uri.EscapeDataString(pageId)}", IntegrationProviders.Confluence, null, cancellationToken);
    }
}
