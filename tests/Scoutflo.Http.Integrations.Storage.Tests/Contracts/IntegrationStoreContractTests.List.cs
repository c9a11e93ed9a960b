namespace Scoutflo.Http.Integrations.Storage.Tests.Contracts;

// ListAsync: every record, whatever its kind, paged by id (the credential migration's walk).
public abstract partial class IntegrationStoreContractTests
{
    [Fact]
    public async Task ListAsync_MixedRecords_PagesEveryRecordByIdAndResumesAfterAnId()
    {
        var store = CreateStore();
        var ids = new List<string>();
        foreach (var (account, status) in new[] { ("a", IntegrationStatus.Active), ("b", IntegrationStatus.Disabled), ("c", IntegrationStatus.ReauthorizationRequired), ("d", IntegrationStatus.Active), ("e", IntegrationStatus.Active) })
        {
            ids.Add((await store.InsertAsync(Sample() with { AccountId = account, Status = status })).Id);
        }

        var first = await store.ListAsync(limit: 2);
        var second = await store.ListAsync(limit: 2, afterId: first[^1].Id);
        var third = await store.ListAsync(limit: 2, afterId: second[^1].Id);
        var fourth = await store.ListAsync(limit: 2, afterId: third[^1].Id);

        Assert.Equal(ids.Order(StringComparer.Ordinal), first.Concat(second).Concat(third).Select(r => r.Id));
        Assert.Single(third);
        Assert.Empty(fourth);
        Assert.Equal("rt-1", first[0].Credentials["refresh_token"]);
    }

    [Fact]
    public async Task ListAsync_LimitBelowOne_IsRefused()
    {
        var store = CreateStore();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.ListAsync(limit: 0));
    }
}
