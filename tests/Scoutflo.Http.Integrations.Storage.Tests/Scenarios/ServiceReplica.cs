using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Scoutflo.Http.Integrations.Fakes.Atlassian;

namespace Scoutflo.Http.Integrations.Storage.Tests.Scenarios;

/// <summary>
/// One replica of a consuming service: its own DI container, its own in-process caches, the
/// shared MongoDB and Redis, and the Atlassian fake.
/// </summary>
internal sealed class ServiceReplica : IAsyncDisposable
{
    public static readonly Uri CallbackUri = new("https://app.scoutflo.test/integrations/callback");

    private readonly ServiceProvider _services;

    public ServiceReplica(AtlassianFake fake, string mongoDatabase, string redisConfiguration, string stateSigningKey, Action<IServiceCollection>? configure = null, TimeProvider? timeProvider = null, ILoggerProvider? logs = null)
    {
        var services = new ServiceCollection();
        if (timeProvider is not null)
        {
            services.AddSingleton(timeProvider);
        }

        if (logs is not null)
        {
            services.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        }

        services.AddScoutfloIntegrations(o =>
            {
                o.StateSigningKey = stateSigningKey;
                o.TokenRequestRetryDelay = TimeSpan.Zero;
            })
            .AddAtlassian(o =>
            {
                o.ClientId = fake.ClientId;
                o.ClientSecret = fake.ClientSecret;
                o.RedirectUri = CallbackUri;
                o.AuthorizeEndpoint = fake.AuthorizeEndpoint;
                o.TokenEndpoint = fake.TokenEndpoint;
                o.ApiBaseUrl = fake.ApiBaseUrl;
            })
            .UseMongoDb(TestServers.MongoDb, mongoDatabase)
            .UseRedis(redisConfiguration);
        configure?.Invoke(services);
        _services = services.BuildServiceProvider();
    }

    public IntegrationInstallService Install => _services.GetRequiredService<IntegrationInstallService>();

    public IIntegrationStore Store => _services.GetRequiredService<IIntegrationStore>();

    public IConnectionManager Connections => _services.GetRequiredService<IConnectionManager>();

    public IServiceProvider Services => _services;

    /// <summary>A call that needs the integration's token: Jira's myself, or Confluence's spaces.</summary>
    public async Task CallAsync(Integration integration)
    {
        if (integration.Provider == IntegrationProviders.Confluence)
        {
            await Confluence(integration.Id).GetSpacesAsync();
        }
        else
        {
            await Jira(integration.Id).GetMyselfAsync();
        }
    }

    public JiraClient Jira(string integrationId) =>
        _services.GetRequiredService<IIntegrationClientFactory>().CreateClient<JiraClient>(integrationId);

    public ConfluenceClient Confluence(string integrationId) =>
        _services.GetRequiredService<IIntegrationClientFactory>().CreateClient<ConfluenceClient>(integrationId);

    public async Task<Integration> InstallAsync(AtlassianFake fake, string provider, string accountId)
    {
        var url = await Install.BuildInstallUrlAsync(new InstallRequest { Provider = provider, AccountId = accountId });
        var callback = OAuthCallback.FromQueryString((await fake.AuthorizeAsync(url)).Query);
        return await Install.HandleCallbackAndSaveAsync(provider, callback);
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
