using Microsoft.Extensions.DependencyInjection;
using Scoutflo.Http.Integrations.Fakes.Slack;

namespace Scoutflo.Http.Integrations.Tests.TestSupport;

/// <summary>The library wired to a <see cref="SlackFake"/> as a consuming service would wire it.</summary>
internal sealed class SlackHarness : LibraryHarness
{
    public static readonly Uri CallbackUri = new("https://app.scoutflo.test/integrations/slack/callback");

    public const string BotScopes = "chat:write,channels:read,files:read";

    public const string UserScopes = "search:read,chat:write";

    public SlackHarness(Action<SlackFakeOptions>? fake = null, Action<SlackOptions>? slack = null, Action<IServiceCollection>? services = null)
    {
        var options = new SlackFakeOptions { TimeProvider = Time };
        fake?.Invoke(options);
        Fake = new SlackFake(options);

        var collection = new ServiceCollection();
        AddLibrary(collection)
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
        Build(collection);
    }

    public SlackFake Fake { get; }

    /// <summary>A bot-token client from the multi-tenant factory.</summary>
    public SlackClient Slack(string integrationId) => Client<SlackClient>(integrationId);

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

    protected override void DisposeFakes() => Fake.Dispose();
}
