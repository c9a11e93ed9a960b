using Microsoft.Extensions.DependencyInjection;
using Scoutflo.Http.Integrations.Fakes.Atlassian;

namespace Scoutflo.Http.Integrations.Tests.TestSupport;

/// <summary>The library wired to an <see cref="AtlassianFake"/> as a consuming service would wire it.</summary>
internal sealed class AtlassianHarness : LibraryHarness
{
    public static readonly Uri CallbackUri = new("https://app.scoutflo.test/integrations/callback");

    public AtlassianHarness(Action<AtlassianFakeOptions>? fake = null, Action<IServiceCollection>? services = null, AtlassianFake? sharedFake = null)
    {
        if (sharedFake is null)
        {
            var options = new AtlassianFakeOptions { TimeProvider = Time };
            fake?.Invoke(options);
            Fake = new AtlassianFake(options);
            OwnsFake = true;
        }
        else
        {
            Fake = sharedFake;
        }

        var collection = new ServiceCollection();
        AddLibrary(collection)
            .AddAtlassian(o =>
            {
                o.ClientId = Fake.ClientId;
                o.ClientSecret = Fake.ClientSecret;
                o.RedirectUri = CallbackUri;
                o.AuthorizeEndpoint = Fake.AuthorizeEndpoint;
                o.TokenEndpoint = Fake.TokenEndpoint;
                o.ApiBaseUrl = Fake.ApiBaseUrl;
            });
        services?.Invoke(collection);
        Build(collection);
    }

    public AtlassianFake Fake { get; }

    private bool OwnsFake { get; }

    public JiraClient Jira(string integrationId) => Client<JiraClient>(integrationId);

    public ConfluenceClient Confluence(string integrationId) => Client<ConfluenceClient>(integrationId);

    /// <summary>The whole browser round trip: install URL, consent at the fake, the callback URL's query.</summary>
    public async Task<OAuthCallback> ConsentAsync(string provider = IntegrationProviders.Jira, string accountId = "acct-1", string? userId = "user-1")
    {
        var url = await Install.BuildInstallUrlAsync(new InstallRequest { Provider = provider, AccountId = accountId, UserId = userId });
        var callback = await Fake.AuthorizeAsync(url);
        return OAuthCallback.FromQueryString(callback.Query);
    }

    /// <summary>Installs and stores an integration through the public flow.</summary>
    public async Task<Integration> InstallAsync(string provider = IntegrationProviders.Jira, string accountId = "acct-1")
    {
        var callback = await ConsentAsync(provider, accountId);
        return await Install.HandleCallbackAndSaveAsync(provider, callback);
    }

    /// <summary>
    /// Installs Jira and calls it once, so that the access token is held in process; then the
    /// fake refuses every current access token (as if it had expired early) and its counters
    /// start from zero. <paramref name="refuseToken"/> false leaves the token valid.
    /// </summary>
    public async Task<(Integration Integration, JiraClient Jira)> InstallAndCallOnceAsync(bool refuseToken = true)
    {
        var integration = await InstallAsync();
        var jira = Jira(integration.Id);
        await jira.GetMyselfAsync();
        if (refuseToken)
        {
            Fake.ExpireAccessTokens();
        }

        Fake.ResetCounters();
        return (integration, jira);
    }

    protected override void DisposeFakes()
    {
        if (OwnsFake)
        {
            Fake.Dispose();
        }
    }
}
