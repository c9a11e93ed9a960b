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
}
