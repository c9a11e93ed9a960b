namespace Scoutflo.Http.Integrations.Storage.Tests.Contracts;

// UpdateEachAsync: several updates in one call (a refresh writing a grant's rotated tokens to
// every sibling), each conditional on its own version, none depending on another.
public abstract partial class IntegrationStoreContractTests
{
    [Fact]
    public async Task UpdateEachAsync_EveryRecordAtItsVersion_WritesEachAndReturnsThemAsStored()
    {
        var store = CreateStore();
        var first = await store.InsertAsync(Sample());
        var second = await store.InsertAsync(Sample() with { Provider = IntegrationProviders.Confluence });
        Time.Advance(TimeSpan.FromMinutes(5));

        var stored = await store.UpdateEachAsync(
        [
            new IntegrationUpdate(first, Rotated(first, "rt-2")),
            new IntegrationUpdate(second, Rotated(second, "rt-2") with { Status = IntegrationStatus.Disabled }),
        ]);

        Assert.Equal(2, stored.Count);
        foreach (var (record, returned) in new[] { first, second }.Zip(stored))
        {
            Assert.NotNull(returned);
            Assert.Equal(record.Id, returned.Id);
            Assert.Equal(2, returned.Version);
            Assert.Equal(Start, returned.CreatedAt);
            Assert.Equal(Start.AddMinutes(5), returned.UpdatedAt);
            Assert.Equal("rt-2", returned.Credentials["refresh_token"]);
            Assert.Equal("at-rt-2", returned.Credentials["access_token"]);
            Assert.False(returned.Credentials.ContainsKey("token_type"));
            AssertSameRecord(returned, await store.GetAsync(record.Id));
        }

        Assert.Equal(IntegrationStatus.Disabled, stored[1]!.Status);
    }

    [Fact]
    public async Task UpdateEachAsync_OneRecordMovedOnAndOneDeleted_ThoseGetNullAndKeepWhatTheyHaveTheOthersAreWritten()
    {
        var store = CreateStore();
        var moved = await store.InsertAsync(Sample());
        var kept = await store.InsertAsync(Sample() with { Provider = IntegrationProviders.Confluence });
        var deleted = await store.InsertAsync(Sample() with { Provider = IntegrationProviders.Jsm });
        var other = await store.UpdateAsync(Rotated(moved, "rt-other"), moved.Version);
        Assert.True(await store.DeleteAsync(deleted.Id));

        var stored = await store.UpdateEachAsync(
        [
            new IntegrationUpdate(moved, Rotated(moved, "rt-2")),
            new IntegrationUpdate(kept, Rotated(kept, "rt-2")),
            new IntegrationUpdate(deleted, Rotated(deleted, "rt-2")),
        ]);

        Assert.Null(stored[0]);
        Assert.NotNull(stored[1]);
        Assert.Null(stored[2]);
        AssertSameRecord(other, await store.GetAsync(moved.Id));
        Assert.Equal("rt-2", (await store.GetAsync(kept.Id))!.Credentials["refresh_token"]);
        Assert.Null(await store.GetAsync(deleted.Id));
    }

    [Fact]
    public async Task UpdateEachAsync_TwoWritersOnOneVersion_OneWinsTheOtherGetsNull()
    {
        var store = CreateStore();
        var inserted = await store.InsertAsync(Sample());

        var results = await Task.WhenAll(
            store.UpdateEachAsync([new IntegrationUpdate(inserted, Rotated(inserted, "writer-1"))]),
            store.UpdateEachAsync([new IntegrationUpdate(inserted, Rotated(inserted, "writer-2"))]));

        var winners = results.Select(r => r[0]).OfType<Integration>().ToList();
        var winner = Assert.Single(winners);
        Assert.Equal(2, winner.Version);
        AssertSameRecord(winner, await store.GetAsync(inserted.Id));
    }

    [Fact]
    public async Task UpdateEachAsync_ANullUpdateInTheList_IsRefusedBeforeAnythingIsWritten()
    {
        var store = CreateStore();
        var inserted = await store.InsertAsync(Sample());

        await Assert.ThrowsAsync<ArgumentException>(() => store.UpdateEachAsync([new IntegrationUpdate(inserted, Rotated(inserted, "rt-2")), null!]));

        AssertSameRecord(inserted, await store.GetAsync(inserted.Id));
    }

    [Fact]
    public async Task UpdateEachAsync_NoUpdates_ReturnsNothing()
    {
        var store = CreateStore();

        Assert.Empty(await store.UpdateEachAsync([]));
    }

    [Fact]
    public async Task UpdateEachAsync_IdNoRecordCanHave_GetsNull()
    {
        var store = CreateStore();
        var record = Sample() with { Id = "not-an-object-id", Version = 1 };

        var stored = await store.UpdateEachAsync([new IntegrationUpdate(record, Rotated(record, "rt-2"))]);

        Assert.Null(Assert.Single(stored));
    }

    /// <summary>The record after a rotation: new tokens, and a credential the provider no longer sends dropped.</summary>
    private static Integration Rotated(Integration record, string refreshToken) => record with
    {
        Credentials = new Dictionary<string, string> { ["access_token"] = "at-" + refreshToken, ["refresh_token"] = refreshToken },
    };
}
