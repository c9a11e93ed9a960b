using Microsoft.Extensions.Http.Resilience;
using Polly;
using Scoutflo.Http.Integrations;
using Scoutflo.Http.Integrations.OAuth.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Configures the resilience of the library's own token-endpoint calls.</summary>
public static class ResilienceIntegrationsBuilderExtensions
{
    /// <summary>
    /// Replaces the default pipeline of the token-endpoint client
    /// (<see cref="IntegrationHttpClientNames.TokenEndpoint"/>: retries of 5xx, 408, 429 and
    /// timeouts with exponential backoff, and a timeout per attempt, as
    /// <see cref="ScoutfloIntegrationsOptions"/> sets them). The builder already uses the
    /// service collection's <see cref="TimeProvider"/>. Keep 4xx answers out of your retries:
    /// a refused refresh token sent again is at best refused again, at worst (outside the
    /// provider's reuse leeway) the end of the grant.
    /// </summary>
    /// <param name="builder">The integrations builder.</param>
    /// <param name="configure">Adds strategies to the pipeline.</param>
    /// <returns>The same builder.</returns>
    public static IIntegrationsBuilder ConfigureTokenEndpointResilience(this IIntegrationsBuilder builder,
        Action<ResiliencePipelineBuilder<HttpResponseMessage>, ResilienceHandlerContext> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.RemoveAll<TokenEndpointResilience.Custom>();
        builder.Services.AddSingleton(new TokenEndpointResilience.Custom(configure));
        return builder;
    }
}
