using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Scoutflo.Http.Integrations.Fakes.Atlassian;
using Scoutflo.Http.Integrations.Secrets.Internal;
using Scoutflo.Http.Integrations.Tests.TestSupport;

namespace Scoutflo.Http.Integrations.Tests.Secrets;

/// <summary>
/// The whole library with encryption on (in-memory storage): what compares stored credential
/// values (the refresh compare-and-set, the sibling lookup by grant, the rotation journal, the
/// compare-and-delete of a refused token) still works, and nothing plain reaches storage.
/// </summary>
public sealed class EncryptedLibraryTests
{
    private static AtlassianHarness Harness(Action<CredentialEncryptionOptions>? configure = null, Action<AtlassianFakeOptions>? fake = null) =>
        new(fake, services: s =>
        {
            s.AddFakeLogging(o => o.CollectRecordsForDisabledLogLevels = true).AddLogging(b => b.SetMinimumLevel(LogLevel.Trace));
            s.AddScoutfloIntegrations().UseCredentialEncryption(configure ?? SecretsIntegrationsBuilderExtensionsTests.OneKey);
        });

    private static IIntegrationStore Raw(LibraryHarness harness) => ((EncryptingIntegrationStore)harness.Store).Inner;

    [Fact]
    public async Task Siblings_EncryptionOn_RefreshRotatesEveryRecordOfTheGrantAndStoresNoPlainToken()
    {
        await using var harness = Harness();
        var jira = await harness.InstallAsync(IntegrationProviders.Jira);
        var confluence = await harness.InstallAsync(IntegrationProviders.Confluence);
        var user = harness.Fake.ConsentingAccountId;

        harness.Fake.ExpireAccessTokens();
        await harness.Jira(jira.Id).GetMyselfAsync();
        harness.Fake.ExpireAccessTokens();
        await harness.Confluence(confluence.Id).GetSpacesAsync();

        // Both refreshes found the sibling by its (decrypted) refresh token and wrote it: the
        // grant was never burnt, and both records hold the provider's current token.
        Assert.False(harness.Fake.IsGrantRevoked(user));
        Assert.Equal(2, harness.Fake.RefreshCalls);
        var current = harness.Fake.CurrentRefreshToken(user)!;
        foreach (var id in new[] { jira.Id, confluence.Id })
        {
            Assert.Equal(current, (await harness.Store.GetAsync(id))!.GetCredential(IntegrationCredentialKeys.RefreshToken));
            var raw = (await Raw(harness).GetAsync(id))!;
            Assert.All(raw.Credentials.Values, v => Assert.StartsWith("scoutflo-enc:v1:k1:", v, StringComparison.Ordinal));
            Assert.DoesNotContain(raw.Credentials.Values, v => v.Contains(current, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task SiteSelection_EncryptionOn_CompletesThroughTheEncryptedOneTimeStore()
    {
        await using var harness = Harness(fake: f => f.Sites.Add(new AtlassianFakeSite("7a1c3a5e-0000-4000-8000-000000000002", "scoutflo-other", new Uri("https://scoutflo-other.atlassian.net"))));
        var callback = await harness.ConsentAsync();

        var selection = await Assert.ThrowsAsync<AtlassianSiteSelectionRequiredException>(() => harness.Install.HandleCallbackAsync(IntegrationProviders.Jira, callback));
        var chosen = await harness.Install.CompleteSiteSelectionAsync(selection.SelectionHandle, harness.Fake.Sites[1].Id);
        var saved = await harness.Install.SaveAsync(chosen);

        Assert.Equal(harness.Fake.Sites[1].Id, saved.GetMetadata(IntegrationMetadataKeys.CloudId));
        await harness.Jira(saved.Id).GetMyselfAsync();
    }

    [Fact]
    public async Task TamperedCredential_EncryptionOn_RefusedWithItsCodeNothingSentAndNotLogged()
    {
        await using var harness = Harness();
        var integration = await harness.InstallAsync();
        var raw = (await Raw(harness).GetAsync(integration.Id))!;
        var envelope = raw.Credentials[IntegrationCredentialKeys.AccessToken];
        var tampered = envelope[..^2] + (envelope[^2] == 'A' ? "B" : "A") + envelope[^1];
        await Raw(harness).UpdateAsync(raw with { Credentials = new Dictionary<string, string>(raw.Credentials) { [IntegrationCredentialKeys.AccessToken] = tampered } }, raw.Version);
        var apiCallsBefore = harness.Fake.ApiRequests.Count;

        var error = await Assert.ThrowsAnyAsync<IntegrationException>(() => harness.Jira(integration.Id).GetMyselfAsync());

        Assert.Equal(IntegrationErrorCodes.CredentialsDecryptionFailed, error.ErrorCode);
        Assert.Contains("'access_token'", error.Message, StringComparison.Ordinal);
        Assert.Equal(apiCallsBefore, harness.Fake.ApiRequests.Count);
        var logs = harness.Services.GetFakeLogCollector().GetSnapshot();
        Assert.Contains(logs, r => r.Id.Id == 2400);
        Assert.DoesNotContain(logs, r => r.Message.Contains(tampered, StringComparison.Ordinal) || r.Message.Contains(envelope, StringComparison.Ordinal));
        Assert.DoesNotContain(tampered, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CredentialPastedFromAnotherRecord_EncryptionOn_IsRefused()
    {
        await using var harness = Harness();
        var first = await harness.InstallAsync(IntegrationProviders.Jira, "acct-1");
        var second = await harness.InstallAsync(IntegrationProviders.Jira, "acct-2");
        var rawFirst = (await Raw(harness).GetAsync(first.Id))!;
        var rawSecond = (await Raw(harness).GetAsync(second.Id))!;

        // The attacker's own record's token, pasted into the victim's record.
        await Raw(harness).UpdateAsync(rawSecond with
        {
            Credentials = new Dictionary<string, string>(rawSecond.Credentials) { [IntegrationCredentialKeys.AccessToken] = rawFirst.Credentials[IntegrationCredentialKeys.AccessToken] },
        }, rawSecond.Version);

        var error = await Assert.ThrowsAnyAsync<IntegrationException>(() => harness.Store.GetAsync(second.Id));
        Assert.Equal(IntegrationErrorCodes.CredentialsDecryptionFailed, error.ErrorCode);
        Assert.Equal(second.Id, error.IntegrationId);
    }

    [Fact]
    public async Task RecordUnderARemovedKey_IsRefusedAsKeyUnknownAndLeftOutOfListings()
    {
        var ring = new SecretsIntegrationsBuilderExtensionsTests.FixedKeyRing(CredentialCipherTests.Ring("k1", "k1"));
        await using var harness = new AtlassianHarness(services: s =>
        {
            s.AddSingleton<ICredentialKeyRingProvider>(ring);
            s.AddScoutfloIntegrations().UseCredentialEncryption();
        });
        var integration = await harness.InstallAsync();

        ring.Ring = CredentialCipherTests.Ring("k2", "k2");

        var error = await Assert.ThrowsAnyAsync<IntegrationException>(() => harness.Store.GetAsync(integration.Id));
        Assert.Equal(IntegrationErrorCodes.CredentialsKeyUnknown, error.ErrorCode);
        Assert.Contains("key id 'k1'", error.Message, StringComparison.Ordinal);
        Assert.Empty(await harness.Store.FindByAccountAsync(integration.AccountId));
        Assert.Equal(500, IntegrationProblemDetails.StatusCodeFor(error.ErrorCode));
    }

    [Fact]
    public async Task RejectPlaintext_PlainRecordLeftFromBeforeEncryption_IsRefused()
    {
        await using var harness = Harness(o =>
        {
            SecretsIntegrationsBuilderExtensionsTests.OneKey(o);
            o.RejectPlaintext = true;
        });
        var planted = await Raw(harness).InsertAsync(new Integration
        {
            Provider = IntegrationProviders.Custom,
            AccountId = "acct-1",
            AuthType = IntegrationAuthTypes.ApiKey,
            Credentials = new Dictionary<string, string> { [IntegrationCredentialKeys.ApiKey] = "planted" },
        });

        var error = await Assert.ThrowsAnyAsync<IntegrationException>(() => harness.Store.GetAsync(planted.Id));
        Assert.Equal(IntegrationErrorCodes.CredentialsDecryptionFailed, error.ErrorCode);
        Assert.Contains("plain text", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PlainRecordLeftFromBeforeEncryption_ByDefault_IsReadAndEncryptedOnItsNextWrite()
    {
        await using var harness = Harness();
        var planted = await Raw(harness).InsertAsync(new Integration
        {
            Provider = IntegrationProviders.Custom,
            AccountId = "acct-1",
            AuthType = IntegrationAuthTypes.ApiKey,
            Credentials = new Dictionary<string, string> { [IntegrationCredentialKeys.ApiKey] = "plain-key" },
        });

        var read = (await harness.Store.GetAsync(planted.Id))!;
        Assert.Equal("plain-key", read.GetCredential(IntegrationCredentialKeys.ApiKey));
        await harness.Store.UpdateAsync(read with { Status = IntegrationStatus.Active }, read.Version);

        Assert.StartsWith("scoutflo-enc:v1:k1:", (await Raw(harness).GetAsync(planted.Id))!.Credentials[IntegrationCredentialKeys.ApiKey], StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenCache_EncryptionOn_StoresEnvelopesAndRemoveIfComparesPlainValues()
    {
        await using var harness = Harness();
        var cache = (EncryptingTokenCache)harness.Cache;
        const string key = "integration:jira:65f1a2b3c4d5e6f708192a3b:app_user:acct-1:access_token";

        await cache.SetAsync(key, "at-plain", TimeSpan.FromMinutes(5));

        Assert.Equal("at-plain", (await cache.GetAsync(key))!.Value.Token);
        Assert.False(await cache.RemoveIfAsync(key, "another-token"));
        Assert.NotNull(await cache.GetAsync(key));
        Assert.True(await cache.RemoveIfAsync(key, "at-plain"));
        Assert.Null(await cache.GetAsync(key));
    }
}
