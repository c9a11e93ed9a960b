using Scoutflo.Http.Integrations.Http.Internal;
using Scoutflo.Http.Integrations.OAuth.Internal;

namespace Scoutflo.Http.Integrations;

/// <summary>
/// The named clients the library creates itself, so that a consumer can add handlers to them,
/// e.g. <c>services.AddHttpClient(IntegrationHttpClientNames.MultiTenant).AddStandardResilienceHandler()</c>.
/// </summary>
public static class IntegrationHttpClientNames
{
    /// <summary>The pipeline behind <see cref="IIntegrationClientFactory"/>.</summary>
    public const string MultiTenant = IntegrationClientFactory.ClientName;

    /// <summary>
    /// The client of the library's own token-endpoint and accessible-resources calls. It has a
    /// resilience pipeline (see <c>ConfigureTokenEndpointResilience</c> to replace it).
    /// </summary>
    public const string TokenEndpoint = TokenEndpointClient.HttpClientName;
}
