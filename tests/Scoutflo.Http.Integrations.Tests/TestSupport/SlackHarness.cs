using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Scoutflo.Http.Integrations.Fakes.Slack;

namespace Scoutflo.Http.Integrations.Tests.TestSupport;

/// <summary>
/// The library wired to a <see cref="SlackFake"/> as a consuming service would wire it, with one
/// fake clock for both, so that expiry is driven by the test.
/// </summary>
internal sealed class SlackHarness : IAsyncDisposable
{
    public static readonly Uri CallbackUri = new("https://app.scoutflo.test/integrations/slack/callback");

    public const string BotScopes = "chat:write,channels:read,files:read";

    public const string UserScopes = "search:read,chat:write";

    private readonly ServiceProvider _services;

    public SlackHarness(Action<SlackFakeOptions>? fake = null, Action<SlackOptions>? slack = null, Action<IServiceCollection>? services = null)
    {
        Time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 9, 0, 0, TimeSpan.Zero));
        var options = new SlackFakeOptions { TimeProvider = Time };
        fake?.Invoke(options);
        Fake = new SlackFake(options);

        var collection = new ServiceCollection();
        collection.AddSingleton<TimeProvider>(Time);
        collection.AddScoutfloIntegrations(o =>
            {
                o.StateSigningKey = AtlassianHarness.SigningKey;
                o.TokenRequestRetryDelay = TimeSpan.Zero;
            })
            .AddSlack(o =>
            {
                o.ClientId = Fake.ClientId;
                o.ClientSecret = Fake.ClientSecret;
                o.RedirectUri = CallbackUri;
                o.BotScopes = BotScopes.Split(',');
                o.UserScopes = UserScopes.Split(',');
                o.AuthorizeEndpoint = Fake.AuthorizeEndpoint;
                o.TokenEndpoint = Fake.TokenEndpoint;
                o.ApiBaseUrl = Fake.ApiBaseUrl;
                slack?.Invoke(o);
            });
        services?.Invoke(collection);
        _services = collection.BuildServiceProvider();
    }

    public FakeTimeProvider Time { get; }

    public SlackFake Fake { get; }

    public IServiceProvider Services => _services;

    public IntegrationInstallService Install => _services.GetRequiredService<IntegrationInstallService>();

    public IConnectionManager Connections => _services.GetRequiredService<IConnectionManager>();

    public IIntegrationStore Store => _services.GetRequiredService<IIntegrationStore>();

    public ITokenCache Cache => _services.GetRequiredService<ITokenCache>();

    /// <summary>A bot-token client from the multi-tenant factory.</summary>
    public SlackClient Slack(string integrationId) =>
        _services.GetRequiredService<IIntegrationClientFactory>().CreateClient<SlackClient>(integrationId);

    /// <summary>The whole browser round trip: install URL, consent at the fake, the callback URL's query.</summary>
    public async Task<(Uri InstallUrl, OAuthCallback Callback)> ConsentAsync(string accountId = "acct-1")
    {
        var url = await Install.BuildInstallUrlAsync(new InstallRequest { Provider = IntegrationProviders.Slack, AccountId = accountId, UserId = "user-1" });
        var callback = await Fake.AuthorizeAsync(url);
        return (url, OAuthCallback.FromQueryString(callback.Query));
    }

    /// <summary>Installs and stores an integration through the public flow.</summary>
    public async Task<Integration> InstallAsync(string accountId = "acct-1")
    {
        var (_, callback) = await ConsentAsync(accountId);
        return await Install.HandleCallbackAndSaveAsync(IntegrationProviders.Slack, callback);
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        Fake.Dispose();
    }
}
