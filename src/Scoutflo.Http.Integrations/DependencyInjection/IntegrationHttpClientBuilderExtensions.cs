using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Scoutflo.Http.Integrations;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds <see cref="IntegrationAuthHandler"/> to any named or typed client.</summary>
public static class IntegrationHttpClientBuilderExtensions
{
    /// <summary>
    /// Adds the auth handler with no bound integration: every request names its integration
    /// with <see cref="HttpRequestMessageIntegrationExtensions.SetIntegrationId"/>.
    /// </summary>
    /// <param name="builder">The client builder.</param>
    /// <returns>The same builder.</returns>
    public static IHttpClientBuilder AddIntegrationAuth(this IHttpClientBuilder builder) =>
        builder.AddIntegrationAuth(static _ => { });

    /// <summary>Adds the auth handler, acting for <paramref name="integrationId"/> unless a request names another.</summary>
    /// <param name="builder">The client builder.</param>
    /// <param name="integrationId">The integration id.</param>
    /// <returns>The same builder.</returns>
    public static IHttpClientBuilder AddIntegrationAuth(this IHttpClientBuilder builder, string integrationId)
    {
        ArgumentException.ThrowIfNullOrEmpty(integrationId);
        return builder.AddIntegrationAuth(o => o.IntegrationId = integrationId);
    }

    /// <summary>Adds the auth handler with per-client settings.</summary>
    /// <param name="builder">The client builder.</param>
    /// <param name="configure">Configures the client's <see cref="IntegrationAuthHandlerOptions"/>.</param>
    /// <returns>The same builder.</returns>
    public static IHttpClientBuilder AddIntegrationAuth(this IHttpClientBuilder builder, Action<IntegrationAuthHandlerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);

        builder.Services.AddScoutfloIntegrations();
        builder.Services.Configure(builder.Name, configure);

        // Relative requests need a base address for HttpClient to accept them; the placeholder
        // never resolves and the handler moves it onto the integration's real API base.
        builder.ConfigureHttpClient(static client => client.BaseAddress ??= ResolvedConnection.PlaceholderBaseAddress);

        var name = builder.Name;
        builder.AddHttpMessageHandler(sp => new IntegrationAuthHandler(
            sp.GetRequiredService<IConnectionManager>(),
            sp.GetRequiredService<IOptionsMonitor<IntegrationAuthHandlerOptions>>().Get(name),
            sp.GetRequiredService<ILogger<IntegrationAuthHandler>>(),
            sp.GetRequiredService<IOptionsMonitor<ScoutfloIntegrationsOptions>>().CurrentValue.MaxReplayBufferBytes));
        return builder;
    }
}
