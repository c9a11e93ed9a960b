using Microsoft.Extensions.DependencyInjection;
using Scoutflo.Http.Integrations.Tests.TestSupport;

namespace Scoutflo.Http.Integrations.Tests.Providers.Atlassian;

public class AtlassianLifecycleTests
{
    [Fact]
    public async Task InstallThenCall_EndToEnd_CallsJiraThroughTheCloudIdBase()
    {
        await using var harness = new AtlassianHarness();
        var site = harness.Fake.Sites[0];

        var integration = await harness.InstallAsync();

        Assert.Equal(IntegrationProviders.Jira, integration.Provider);
        Assert.Equal(IntegrationAuthTypes.OAuth2, integration.AuthType);
        Assert.Equal("acct-1", integration.AccountId);
        Assert.Equal("user-1", integration.CreatedBy);
        Assert.Equal(site.Id, integration.GetMetadata(IntegrationMetadataKeys.CloudId));
        Assert.Equal(site.Url.GetLeftPart(UriPartial.Authority), integration.GetMetadata(IntegrationMetadataKeys.SiteUrl));
        Assert.NotNull(integration.GetCredential(IntegrationCredentialKeys.RefreshToken));
        Assert.Contains("offline_access", harness.Fake.GrantedScopes(harness.Fake.ConsentingAccountId));

        var me = await harness.Jira(integration.Id).GetMyselfAsync();

        Assert.Equal(harness.Fake.ConsentingAccountId, me.AccountId);
        Assert.Equal($"/ex/jira/{site.Id}/rest/api/3/myself", harness.Fake.LastApiRequest!.Path);
        Assert.Equal(1, harness.Fake.CodeExchangeCalls);
        Assert.Equal(0, harness.Fake.RefreshCalls);
    }

    [Fact]
    public async Task SelfLink_OnTheSiteHost_IsCalledThroughTheGateway()
    {
        await using var harness = new AtlassianHarness();
        var integration = await harness.InstallAsync();
        var jira = harness.Jira(integration.Id);
        var search = await jira.SearchAsync("project = SCOUT", fields: ["summary"], maxResults: 1);
        var self = search.Issues[0].Self!;
        Assert.Equal(harness.Fake.Sites[0].Url.Host, self.Host);

        using var response = await jira.HttpClient.GetAsync(self);

        response.EnsureSuccessStatusCode();
        Assert.Equal($"/ex/jira/{harness.Fake.Sites[0].Id}{self.AbsolutePath}", harness.Fake.LastApiRequest!.Path);
    }

    [Fact]
    public async Task ResolveConnection_OAuthJira_ExposesCloudRuntime()
    {
        await using var harness = new AtlassianHarness();
        var integration = await harness.InstallAsync();

        var resolved = await harness.Connections.ResolveConnectionAsync(integration.Id);

        var site = harness.Fake.Sites[0];
        Assert.Equal(site.Id, resolved.CloudId);
        Assert.Equal(site.Name, resolved.SiteName);
        Assert.Equal(new Uri(harness.Fake.ApiBaseUrl, $"ex/jira/{site.Id}"), resolved.BaseAddress);
        Assert.Equal(site.Url.Host, resolved.SiteAddress!.Host);
        Assert.Contains("read:jira-work", resolved.Scopes);
    }

    [Fact]
    public async Task Confluence_InstalledAfterJira_AsksTheUnionOfScopesAndSharesTheGrant()
    {
        await using var harness = new AtlassianHarness();
        var jira = await harness.InstallAsync(IntegrationProviders.Jira);

        var url = await harness.Install.BuildInstallUrlAsync(new InstallRequest { Provider = IntegrationProviders.Confluence, AccountId = "acct-1" });
        var scope = Uri.UnescapeDataString(url.Query.Split('&').Single(p => p.StartsWith("scope=", StringComparison.Ordinal))["scope=".Length..]);
        Assert.Contains("read:jira-work", scope.Split(' '));
        Assert.Contains("read:page:confluence", scope.Split(' '));
        Assert.Contains("offline_access", scope.Split(' '));

        var callback = OAuthCallback.FromQueryString((await harness.Fake.AuthorizeAsync(url)).Query);
        var confluence = await harness.Install.HandleCallbackAndSaveAsync(IntegrationProviders.Confluence, callback);

        // The new consent replaced the grant: the Jira sibling was given the new tokens.
        var jiraNow = await harness.Store.GetAsync(jira.Id);
        Assert.Equal(confluence.GetCredential(IntegrationCredentialKeys.RefreshToken), jiraNow!.GetCredential(IntegrationCredentialKeys.RefreshToken));
        await harness.Jira(jira.Id).GetMyselfAsync();
        var spaces = await harness.Confluence(confluence.Id).GetSpacesAsync();
        Assert.Equal(System.Text.Json.JsonValueKind.Object, spaces.ValueKind);
        Assert.StartsWith($"/ex/confluence/{harness.Fake.Sites[0].Id}/wiki/", harness.Fake.LastApiRequest!.Path, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Siblings_RefreshThroughJiraThenCallConfluence_WorksAndBurnsNoRefreshToken()
    {
        await using var harness = new AtlassianHarness();
        var jira = await harness.InstallAsync(IntegrationProviders.Jira);
        var confluence = await harness.InstallAsync(IntegrationProviders.Confluence);
        var user = harness.Fake.ConsentingAccountId;

        harness.Fake.ExpireAccessTokens();
        await harness.Jira(jira.Id).GetMyselfAsync();
        Assert.Equal(1, harness.Fake.RefreshCalls);

        // Confluence still holds the old access token: it is refused, and its refresh must use
        // the rotated refresh token that the Jira refresh wrote to it.
        harness.Fake.ExpireAccessTokens();
        await harness.Confluence(confluence.Id).GetSpacesAsync();

        Assert.False(harness.Fake.IsGrantRevoked(user));
        Assert.Equal(2, harness.Fake.RefreshCalls);
        var current = harness.Fake.CurrentRefreshToken(user);
        Assert.Equal(current, (await harness.Store.GetAsync(jira.Id))!.GetCredential(IntegrationCredentialKeys.RefreshToken));
        Assert.Equal(current, (await harness.Store.GetAsync(confluence.Id))!.GetCredential(IntegrationCredentialKeys.RefreshToken));
    }

    [Fact]
    public async Task DeleteConnection_OAuth_ForgetsTheSharedCachedToken()
    {
        await using var harness = new AtlassianHarness();
        var (integration, _) = await harness.InstallAndCallOnceAsync(refuseToken: false);
        var cache = harness.Services.GetRequiredService<ITokenCache>();
        var key = $"integration:jira:{integration.Id}:app_user:{integration.AccountId}:access_token";
        Assert.NotNull(await cache.GetAsync(key));

        Assert.True(await harness.Connections.DeleteConnectionAsync(integration.Id));

        Assert.Null(await cache.GetAsync(key));
        await Assert.ThrowsAsync<IntegrationNotFoundException>(() => harness.Jira(integration.Id).GetMyselfAsync());
    }
}
