using Microsoft.Extensions.Http;
using Scoutflo.Http.Integrations;
using Scoutflo.Http.Integrations.DependencyInjection.Internal;
using Scoutflo.Http.Integrations.Http.Internal;
using Scoutflo.Http.Integrations.Telemetry;

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
    /// <remarks>
    /// Besides adding the handler, this changes the client in these ways:
    /// <list type="bullet">
    /// <item>It registers the library (<c>AddScoutfloIntegrations()</c>) if it is not registered yet.</item>
    /// <item>A client without a <see cref="HttpClient.BaseAddress"/> gets a placeholder one, so that
    /// relative request URIs are accepted; the handler maps them onto the integration's API base.</item>
    /// <item>The client does not follow redirects (its primary handler, even one configured later, has
    /// automatic redirects turned off): a 3xx comes back to the caller, so that no credential header
    /// follows it to a host the integration does not own.</item>
    /// <item>Handlers added after this one (e.g. <c>AddStandardResilienceHandler()</c>) may retry; the
    /// current credential is attached again to each attempt, innermost.</item>
    /// <item>IHttpClientFactory's two default request loggers (<c>System.Net.Http.HttpClient.{name}.*</c>),
    /// whose state holds header values and full URLs, are replaced by one that logs method, origin,
    /// path, status and duration (category <c>Scoutflo.Http.Integrations.HttpClient</c>, Debug). Loggers
    /// added with <c>AddLogger</c>, before or after this call, stay: they see credentials, mind what they log.</item>
    /// </list>
    /// </remarks>
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
            sp.GetRequiredService<IOptionsMonitor<ScoutfloIntegrationsOptions>>().CurrentValue.MaxReplayBufferBytes,
            sp.GetRequiredService<IntegrationsMetrics>()));

        // Handlers added after this one (AddStandardResilienceHandler()) sit inside it and may
        // send a request several times; the innermost handler re-attaches the current token.
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHttpMessageHandlerBuilderFilter, CredentialReapplyFilter>());
        builder.UseHeaderlessLogging();

        // The primary handler follows redirects below this handler, where no host check runs,
        // and .NET drops only Authorization on a redirect: an API key or mapped credential header
        // would follow a 3xx to any host. So integration clients hand redirects to the caller.
        // A post-configure action runs after every Configure, so it also covers a primary
        // handler replaced later in the chain (ConfigurePrimaryHttpMessageHandler).
        builder.Services.PostConfigure<HttpClientFactoryOptions>(name, static options =>
            options.HttpMessageHandlerBuilderActions.Add(static b => DisableAutoRedirect(b.PrimaryHandler)));
        return builder;
    }

    /// <summary>
    /// Swaps IHttpClientFactory's default loggers, whose header lines keep raw credential
    /// values in their structured state (and whose URLs carry a query-string API key), for
    /// <see cref="HeaderlessHttpClientLogger"/>. Loggers the application added with
    /// <c>AddLogger</c>, before or after, stay.
    /// </summary>
    internal static IHttpClientBuilder UseHeaderlessLogging(this IHttpClientBuilder builder)
    {
        var name = builder.Name;
        builder.Services.Configure<DefaultHttpLoggingRemoval>(name, static o => o.Enabled = true);
        if (!builder.Services.Any(static d => d.ImplementationType == typeof(DefaultHttpLoggingRemovalFilter)))
        {
            // First in the list = outermost filter: it runs after the factory's logging filter.
            builder.Services.Insert(0, ServiceDescriptor.Singleton<IHttpMessageHandlerBuilderFilter, DefaultHttpLoggingRemovalFilter>());
        }

        return builder.AddLogger(
            sp => new HeaderlessHttpClientLogger(sp.GetRequiredService<ILoggerFactory>().CreateLogger("Scoutflo.Http.Integrations.HttpClient"), name),
            wrapHandlersPipeline: false);
    }

    private static void DisableAutoRedirect(HttpMessageHandler handler)
    {
        switch (handler)
        {
            case SocketsHttpHandler sockets:
                sockets.AllowAutoRedirect = false;
                break;
            case HttpClientHandler client:
                client.AllowAutoRedirect = false;
                break;
        }
    }
}
