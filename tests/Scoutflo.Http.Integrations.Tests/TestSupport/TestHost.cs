using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Scoutflo.Http.Integrations.Tests.TestSupport;

/// <summary>
/// The library in a real container (in-memory storage, FakeTimeProvider as TimeProvider) over a
/// <see cref="FakeNetwork"/>: every HttpClient of the container ends in the fake network.
/// </summary>
internal sealed class TestHost : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 30, 0, TimeSpan.Zero);

    private TestHost(Action<IServiceCollection>? configure, bool addProviders)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(Time);
        var builder = services.AddScoutfloIntegrations();

        // As an application would: the core serves only "custom" records until a provider is added.
        if (addProviders)
        {
            builder.AddEveryProvider();
        }

        services.ConfigureHttpClientDefaults(b => b.ConfigurePrimaryHttpMessageHandler(() => Network.Handler));
        configure?.Invoke(services);
        Services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public FakeTimeProvider Time { get; } = new(Start);

    public FakeNetwork Network { get; } = new();

    public ServiceProvider Services { get; }

    public IConnectionManager Connections => Services.GetRequiredService<IConnectionManager>();

    /// <summary>The library with Atlassian, Slack and Sentry added (placeholder apps).</summary>
    public static TestHost Create(Action<IServiceCollection>? configure = null) => new(configure, addProviders: true);

    /// <summary>The library as <c>AddScoutfloIntegrations()</c> alone registers it: no named provider.</summary>
    public static TestHost CreateCoreOnly(Action<IServiceCollection>? configure = null) => new(configure, addProviders: false);

    public async Task<string> AddAsync(Integration integration) =>
        (await Connections.CreateConnectionAsync(integration)).Id;

    /// <summary>
    /// An HttpClient straight over the handler (no DI pipeline), with the placeholder base the
    /// DI registration gives, so that relative URIs are accepted by HttpClient.
    /// </summary>
    public HttpClient CreateHandlerClient(string? integrationId) =>
        new(new IntegrationAuthHandler(Connections, new IntegrationAuthHandlerOptions { IntegrationId = integrationId }) { InnerHandler = Network.Handler }, disposeHandler: false)
        {
            BaseAddress = ResolvedConnection.PlaceholderBaseAddress,
        };

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        Network.Dispose();
    }
}
