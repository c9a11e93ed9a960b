using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Scoutflo.Http.Integrations.Fakes.Atlassian;
using Scoutflo.Http.Integrations.Tests.TestSupport;

namespace Scoutflo.Http.Integrations.Tests.Install;

public class IntegrationInstallServiceTests
{
    private static readonly AtlassianFakeSite SecondSite = new("7a1c3a5e-0000-4000-8000-000000000002", "scoutflo-other", new Uri("https://scoutflo-other.atlassian.net"));

    [Fact]
    public async Task BuildInstallUrl_Atlassian_HasTheAuthorizeParameters()
    {
        await using var harness = new AtlassianHarness();

        var url = await harness.Install.BuildInstallUrlAsync(new InstallRequest { Provider = IntegrationProviders.Jira, AccountId = "acct-1" });
        var query = OAuthQuery(url);

        Assert.Equal(harness.Fake.AuthorizeEndpoint.AbsolutePath, url.AbsolutePath);
        Assert.Equal("api.atlassian.com", query["audience"]);
        Assert.Equal(harness.Fake.ClientId, query["client_id"]);
        Assert.Equal("code", query["response_type"]);
        Assert.Equal("consent", query["prompt"]);
        Assert.Equal(AtlassianHarness.CallbackUri.AbsoluteUri, query["redirect_uri"]);
        Assert.Contains("offline_access", query["scope"].Split(' '));
        Assert.Contains("read:jira-work", query["scope"].Split(' '));
        Assert.DoesNotContain(harness.Fake.ClientSecret, url.AbsoluteUri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BuildInstallUrl_NonAtlassianProvider_DoesNoSiblingLookup()
    {
        CountingIntegrationStore? store = null;
        await using var harness = new AtlassianHarness(services: s => s.AddSingleton<IIntegrationStore>(sp =>
            store = new CountingIntegrationStore(new global::Scoutflo.Http.Integrations.Storage.InMemory.InMemoryIntegrationStore(sp.GetRequiredService<TimeProvider>()))));

        await Assert.ThrowsAsync<IntegrationException>(() => harness.Install.BuildInstallUrlAsync(new InstallRequest { Provider = IntegrationProviders.Custom, AccountId = "acct-1" }));
        Assert.Equal(0, store!.Finds);

        await harness.Install.BuildInstallUrlAsync(new InstallRequest { Provider = IntegrationProviders.Jira, AccountId = "acct-1" });
        Assert.Equal(1, store.Finds);
    }

    [Fact]
    public async Task HandleCallback_ReplayedState_IsRefusedAsReplayed()
    {
        await using var harness = new AtlassianHarness();
        var callback = await harness.ConsentAsync();
        await harness.Install.HandleCallbackAsync(IntegrationProviders.Jira, callback);

        var replay = await Assert.ThrowsAsync<OAuthStateException>(() => harness.Install.HandleCallbackAsync(IntegrationProviders.Jira, callback));

        Assert.Equal("oauth_state_replayed", replay.ErrorCode);
        Assert.Equal(1, harness.Fake.CodeExchangeCalls);
    }

    [Fact]
    public async Task HandleCallback_SwappedProvider_IsRefusedAsMismatchAndLeavesTheStateUsable()
    {
        await using var harness = new AtlassianHarness();
        var callback = await harness.ConsentAsync(IntegrationProviders.Jira);

        var swapped = await Assert.ThrowsAsync<OAuthStateException>(() => harness.Install.HandleCallbackAsync(IntegrationProviders.Confluence, callback));

        Assert.Equal("oauth_state_provider_mismatch", swapped.ErrorCode);
        Assert.Equal(0, harness.Fake.CodeExchangeCalls);
        var result = await harness.Install.HandleCallbackAsync(IntegrationProviders.Jira, callback);
        Assert.Equal(IntegrationProviders.Jira, result.Integration.Provider);
    }

    [Fact]
    public async Task HandleCallback_ExpiredState_IsRefusedAsExpired()
    {
        await using var harness = new AtlassianHarness();
        var callback = await harness.ConsentAsync();

        harness.Time.Advance(TimeSpan.FromMinutes(10));
        var expired = await Assert.ThrowsAsync<OAuthStateException>(() => harness.Install.HandleCallbackAsync(IntegrationProviders.Jira, callback));

        Assert.Equal("oauth_state_expired", expired.ErrorCode);
        Assert.Equal(0, harness.Fake.CodeExchangeCalls);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-a-state")]
    [InlineData("e30.AAAA")]
    [InlineData("!!!.???")]
    public async Task HandleCallback_MalformedState_IsRefusedAsInvalid(string? state)
    {
        await using var harness = new AtlassianHarness();

        var invalid = await Assert.ThrowsAsync<OAuthStateException>(() => harness.Install.HandleCallbackAsync(IntegrationProviders.Jira, new OAuthCallback { Code = "c", State = state }));

        Assert.Equal("oauth_state_invalid", invalid.ErrorCode);
    }

    [Fact]
    public async Task HandleCallback_TamperedState_IsRefusedAsInvalid()
    {
        await using var harness = new AtlassianHarness();
        var callback = await harness.ConsentAsync();
        var state = callback.State!;
        var dot = state.IndexOf('.', StringComparison.Ordinal);
        var payload = System.Text.Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(state.AsSpan(0, dot)));
        var forged = System.Buffers.Text.Base64Url.EncodeToString(System.Text.Encoding.UTF8.GetBytes(payload.Replace("acct-1", "acct-evil", StringComparison.Ordinal))) + state[dot..];

        var tampered = await Assert.ThrowsAsync<OAuthStateException>(() => harness.Install.HandleCallbackAsync(IntegrationProviders.Jira, new OAuthCallback { Code = callback.Code, State = forged }));

        Assert.Equal("oauth_state_invalid", tampered.ErrorCode);
        Assert.DoesNotContain(forged, tampered.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleCallback_StateSignedWithAnotherKey_IsRefusedAsInvalid()
    {
        await using var signer = new AtlassianHarness(services: s => s.Configure<ScoutfloIntegrationsOptions>(o => o.StateSigningKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))));
        var callback = await signer.ConsentAsync();
        await using var other = new AtlassianHarness(sharedFake: signer.Fake);

        var wrongKey = await Assert.ThrowsAsync<OAuthStateException>(() => other.Install.HandleCallbackAsync(IntegrationProviders.Jira, callback));

        Assert.Equal("oauth_state_invalid", wrongKey.ErrorCode);
    }

    [Fact]
    public async Task HandleCallback_AccessDenied_IsAClearErrorAndUsesUpTheState()
    {
        await using var harness = new AtlassianHarness();
        harness.Fake.DenyConsent = true;
        var callback = await harness.ConsentAsync();

        var denied = await Assert.ThrowsAsync<IntegrationException>(() => harness.Install.HandleCallbackAsync(IntegrationProviders.Jira, callback));

        Assert.Equal("oauth_authorization_denied", denied.ErrorCode);
        Assert.Contains("access_denied", denied.Message, StringComparison.Ordinal);
        var again = await Assert.ThrowsAsync<OAuthStateException>(() => harness.Install.HandleCallbackAsync(IntegrationProviders.Jira, callback));
        Assert.Equal("oauth_state_replayed", again.ErrorCode);
    }

    [Fact]
    public async Task HandleCallback_NoSites_IsNoAccessibleResources()
    {
        await using var harness = new AtlassianHarness();
        harness.Fake.SetSites();
        var callback = await harness.ConsentAsync();

        var none = await Assert.ThrowsAsync<IntegrationException>(() => harness.Install.HandleCallbackAsync(IntegrationProviders.Jira, callback));

        Assert.Equal("atlassian_no_accessible_resources", none.ErrorCode);
    }

    [Fact]
    public async Task HandleCallback_ReturnsThePayloadWithoutStoringIt()
    {
        await using var harness = new AtlassianHarness();
        var callback = await harness.ConsentAsync();

        var result = await harness.Install.HandleCallbackAsync(IntegrationProviders.Jira, callback);

        Assert.Equal(string.Empty, result.Integration.Id);
        Assert.Empty(await harness.Store.FindByAccountAsync("acct-1"));
        Assert.DoesNotContain(result.Integration.GetCredential(IntegrationCredentialKeys.AccessToken)!, result.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandleCallback_SeveralSites_RequiresASelectionThatCompletesOnce()
    {
        await using var harness = new AtlassianHarness();
        harness.Fake.SetSites(harness.Fake.Sites[0], SecondSite);
        var callback = await harness.ConsentAsync();

        var selection = await Assert.ThrowsAsync<AtlassianSiteSelectionRequiredException>(() => harness.Install.HandleCallbackAsync(IntegrationProviders.Jira, callback));

        Assert.Equal("atlassian_site_selection_required", selection.ErrorCode);
        Assert.Equal([harness.Fake.Sites[0].Id, SecondSite.Id], selection.Sites.Select(s => s.CloudId));
        Assert.Equal(SecondSite.Url.Host, selection.Sites[1].Url.Host);
        Assert.False(string.IsNullOrEmpty(selection.SelectionHandle));
        Assert.DoesNotContain("access_token", selection.Message, StringComparison.OrdinalIgnoreCase);

        var unknown = await Assert.ThrowsAsync<IntegrationException>(() => harness.Install.CompleteSiteSelectionAsync(selection.SelectionHandle, "not-a-site"));
        Assert.Equal("atlassian_site_unknown", unknown.ErrorCode);

        var result = await harness.Install.CompleteSiteSelectionAsync(selection.SelectionHandle, SecondSite.Id);
        Assert.Equal(SecondSite.Id, result.Integration.GetMetadata(IntegrationMetadataKeys.CloudId));
        var stored = await harness.Install.SaveAsync(result);
        var me = await harness.Jira(stored.Id).GetMyselfAsync();
        Assert.Equal(harness.Fake.ConsentingAccountId, me.AccountId);
        Assert.StartsWith($"/ex/jira/{SecondSite.Id}/", harness.Fake.LastApiRequest!.Path, StringComparison.Ordinal);

        var reused = await Assert.ThrowsAsync<IntegrationException>(() => harness.Install.CompleteSiteSelectionAsync(selection.SelectionHandle, SecondSite.Id));
        Assert.Equal("atlassian_site_selection_invalid", reused.ErrorCode);
    }

    [Fact]
    public async Task CompleteSiteSelection_ExpiredHandle_IsInvalid()
    {
        await using var harness = new AtlassianHarness();
        harness.Fake.SetSites(harness.Fake.Sites[0], SecondSite);
        var callback = await harness.ConsentAsync();
        var selection = await Assert.ThrowsAsync<AtlassianSiteSelectionRequiredException>(() => harness.Install.HandleCallbackAsync(IntegrationProviders.Jira, callback));

        harness.Time.Advance(TimeSpan.FromMinutes(11));
        var expired = await Assert.ThrowsAsync<IntegrationException>(() => harness.Install.CompleteSiteSelectionAsync(selection.SelectionHandle, SecondSite.Id));

        Assert.Equal("atlassian_site_selection_invalid", expired.ErrorCode);
    }

    [Fact]
    public async Task HandleCallback_SeveralSites_SelectionLivesForAtlassianSiteSelectionLifetime()
    {
        await using var harness = new AtlassianHarness(services: s => s.Configure<AtlassianOptions>(o => o.SiteSelectionLifetime = TimeSpan.FromMinutes(2)));
        harness.Fake.SetSites(harness.Fake.Sites[0], SecondSite);
        var callback = await harness.ConsentAsync();
        var selection = await Assert.ThrowsAsync<AtlassianSiteSelectionRequiredException>(() => harness.Install.HandleCallbackAsync(IntegrationProviders.Jira, callback));

        Assert.Equal(harness.Time.GetUtcNow() + TimeSpan.FromMinutes(2), selection.ExpiresAt);
        harness.Time.Advance(TimeSpan.FromMinutes(3));
        var expired = await Assert.ThrowsAsync<IntegrationException>(() => harness.Install.CompleteSiteSelectionAsync(selection.SelectionHandle, SecondSite.Id));
        Assert.Equal("atlassian_site_selection_invalid", expired.ErrorCode);
    }

    [Fact]
    public async Task HandleCallback_SeveralSites_TheObsoleteCoreSettingStillSetsTheLifetime()
    {
#pragma warning disable CS0618 // the old place of the setting keeps working
        await using var harness = new AtlassianHarness(services: s => s.Configure<ScoutfloIntegrationsOptions>(o => o.SiteSelectionLifetime = TimeSpan.FromMinutes(3)));
#pragma warning restore CS0618
        harness.Fake.SetSites(harness.Fake.Sites[0], SecondSite);
        var callback = await harness.ConsentAsync();

        var selection = await Assert.ThrowsAsync<AtlassianSiteSelectionRequiredException>(() => harness.Install.HandleCallbackAsync(IntegrationProviders.Jira, callback));

        Assert.Equal(harness.Time.GetUtcNow() + TimeSpan.FromMinutes(3), selection.ExpiresAt);
    }

    [Fact]
    public async Task CompleteSiteSelection_UnknownHandle_IsInvalid()
    {
        await using var harness = new AtlassianHarness();

        var unknown = await Assert.ThrowsAsync<IntegrationException>(() => harness.Install.CompleteSiteSelectionAsync("no-such-handle", "x"));

        Assert.Equal("atlassian_site_selection_invalid", unknown.ErrorCode);
    }

    [Fact]
    public async Task BuildInstallUrl_AtlassianNotConfigured_IsAClearError()
    {
        var services = new ServiceCollection();
        services.AddScoutfloIntegrations();
        await using var provider = services.BuildServiceProvider();

        var error = await Assert.ThrowsAsync<IntegrationException>(() => provider.GetRequiredService<IntegrationInstallService>()
            .BuildInstallUrlAsync(new InstallRequest { Provider = IntegrationProviders.Jira, AccountId = "acct-1" }));

        Assert.Equal("oauth_provider_not_configured", error.ErrorCode);
        Assert.Contains("ClientId", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BuildInstallUrl_ProviderNameInAnotherCase_ListsTheInstallableProviders()
    {
        var services = new ServiceCollection();
        services.AddScoutfloIntegrations().AddAtlassian(o =>
        {
            o.ClientId = "client-1";
            o.ClientSecret = "client-secret-1";
            o.RedirectUri = new Uri("https://app.example.test/callback");
        });
        await using var provider = services.BuildServiceProvider();

        var error = await Assert.ThrowsAsync<IntegrationException>(() => provider.GetRequiredService<IntegrationInstallService>()
            .BuildInstallUrlAsync(new InstallRequest { Provider = "Jira", AccountId = "acct-1" }));

        Assert.Equal("oauth_provider_not_configured", error.ErrorCode);
        Assert.Contains("'Jira'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'confluence', 'jira', 'jsm'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("client-secret-1", error.Message, StringComparison.Ordinal);
    }

    private static Dictionary<string, string> OAuthQuery(Uri url) =>
        url.Query.TrimStart('?').Split('&')
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]), StringComparer.Ordinal);
}
