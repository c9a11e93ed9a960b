using Microsoft.Extensions.Time.Testing;
using Scoutflo.Http.Integrations.Storage.InMemory;

namespace Scoutflo.Http.Integrations.Storage.Tests.Storage.InMemory;

public sealed class InMemoryIntegrationStoreTests
{
    [Fact]
    public async Task InsertAndUpdateAsync_CallerMutatesItsCollectionsAfterwards_StoredRecordIsUnchanged()
    {
        var store = new InMemoryIntegrationStore(new FakeTimeProvider());
        var credentials = new Dictionary<string, string> { ["api_key"] = "k1" };
        var metadata = new Dictionary<string, string> { ["base_url"] = "https://api.example.com" };
        var scopes = new List<string> { "read" };
        var inserted = await store.InsertAsync(new Integration
        {
            Provider = "custom", AccountId = "acct", AuthType = "api_key",
            Credentials = credentials, Metadata = metadata, Scopes = scopes,
        });
        credentials["api_key"] = "changed";
        metadata.Clear();
        scopes.Add("write");
        var afterInsert = await store.GetAsync(inserted.Id);

        var updateCredentials = new Dictionary<string, string> { ["api_key"] = "k2" };
        await store.UpdateAsync(inserted with { Credentials = updateCredentials }, 1);
        updateCredentials["api_key"] = "changed";
        var afterUpdate = await store.GetAsync(inserted.Id);

        Assert.NotNull(afterInsert);
        Assert.Equal("k1", afterInsert.Credentials["api_key"]);
        Assert.Equal("https://api.example.com", afterInsert.Metadata["base_url"]);
        Assert.Equal(["read"], afterInsert.Scopes);
        Assert.NotNull(afterUpdate);
        Assert.Equal("k2", afterUpdate.Credentials["api_key"]);
    }

    [Fact]
    public async Task FindStaleOAuthAsync_MixedRecords_PagesActiveOAuthRecordsWrittenBeforeTheCutoffById()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var store = new InMemoryIntegrationStore(time);
        Integration OAuth(string account, string status = IntegrationStatus.Active) => new()
        {
            Provider = IntegrationProviders.Jira, AccountId = account, AuthType = IntegrationAuthTypes.OAuth2, Status = status,
            Credentials = new Dictionary<string, string> { ["refresh_token"] = "rt-" + account },
        };
        var idle = new List<string>
        {
            (await store.InsertAsync(OAuth("a"))).Id,
            (await store.InsertAsync(OAuth("b"))).Id,
            (await store.InsertAsync(OAuth("c"))).Id,
        };
        await store.InsertAsync(OAuth("reauth", IntegrationStatus.ReauthorizationRequired));
        await store.InsertAsync(OAuth("disabled", IntegrationStatus.Disabled));
        await store.InsertAsync(OAuth("key") with { AuthType = IntegrationAuthTypes.ApiKey });
        time.Advance(TimeSpan.FromDays(40));
        await store.InsertAsync(OAuth("fresh"));
        var cutoff = time.GetUtcNow() - TimeSpan.FromDays(30);

        var first = await store.FindStaleOAuthAsync(cutoff, limit: 2);
        var second = await store.FindStaleOAuthAsync(cutoff, limit: 2, afterId: first[^1].Id);

        Assert.Equal(idle.Order(StringComparer.Ordinal), first.Concat(second).Select(r => r.Id));
        Assert.Equal(2, first.Count);
        Assert.Single(second);
    }
}
