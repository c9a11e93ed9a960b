using System.Net.Http.Json;

namespace Scoutflo.Http.Integrations;

/// <summary>
/// A thin typed client for Sentry's API (<c>api/0/...</c> under the connection's base:
/// sentry.io, a regional host or self-hosted). Responses keep their <c>X-Sentry-Rate-Limit-*</c> headers.
/// </summary>
/// <param name="httpClient">The client from <c>AddSentryClient</c> or <see cref="IIntegrationClientFactory"/>.</param>
public sealed class SentryClient(HttpClient httpClient)
{
    /// <summary>The underlying client, for any other call.</summary>
    public HttpClient HttpClient { get; } = httpClient ?? throw new ArgumentNullException(nameof(httpClient));

    /// <summary>The organizations the token can see (<c>GET /api/0/organizations/</c>), as Sentry sent them.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="HttpRequestException">Sentry answered with an error status.</exception>
    public Task<JsonElement> GetOrganizationsAsync(CancellationToken cancellationToken = default) =>
        HttpClient.GetFromJsonAsync<JsonElement>("api/0/organizations/", cancellationToken);

    /// <summary>An organization's projects (<c>GET /api/0/organizations/{slug}/projects/</c>), as Sentry sent them.</summary>
    /// <param name="organizationSlug">The organization slug.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="HttpRequestException">Sentry answered with an error status.</exception>
    public Task<JsonElement> GetProjectsAsync(string organizationSlug, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(organizationSlug);
        return HttpClient.GetFromJsonAsync<JsonElement>($"api/0/organizations/{Uri.EscapeDataString(organizationSlug)}/projects/", cancellationToken);
    }
}
