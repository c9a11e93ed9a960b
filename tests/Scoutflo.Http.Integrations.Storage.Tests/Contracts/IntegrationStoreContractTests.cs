using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;

namespace Scoutflo.Http.Integrations.Storage.Tests.Contracts;

/// <summary>
/// What every <see cref="IIntegrationStore"/> does, whatever keeps the records: ObjectId-shaped
/// ids, versions and timestamps, version-conditional updates with exactly one winner, lookups
/// by account, deletes, and the keep-alive's paging. Each implementation runs it through a
/// subclass (in memory, MongoDB); what only one of them does is tested beside it.
/// </summary>
public abstract partial class IntegrationStoreContractTests
{
    /// <summary>Whole milliseconds: a BSON date keeps no finer time.</summary>
    protected static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, 123, TimeSpan.Zero);

    /// <summary>The clock every store of the test is built with.</summary>
    protected FakeTimeProvider Time { get; } = new(Start);

    /// <summary>A store of the implementation under test, empty, on <see cref="Time"/>.</summary>
    protected abstract IIntegrationStore CreateStore();

    [Fact]
    public async Task InsertAsync_NewRecord_AssignsAnObjectIdShapedIdVersionOneAndTimestamps()
    {
        var store = CreateStore();

        var inserted = await store.InsertAsync(Sample());

        Assert.Matches(ObjectIdShape(), inserted.Id);
        Assert.Equal(1, inserted.Version);
        Assert.Equal(Start, inserted.CreatedAt);
        Assert.Equal(Start, inserted.UpdatedAt);
        AssertSameRecord(inserted, await store.GetAsync(inserted.Id));
    }

    [Fact]
    public async Task InsertAsync_EveryField_RoundTripsThroughGet()
    {
        var store = CreateStore();

        var inserted = await store.InsertAsync(Sample());
        var read = await store.GetAsync(inserted.Id);

        Assert.NotNull(read);
        Assert.Equal(IntegrationProviders.Jira, read.Provider);
        Assert.Equal("acct-1", read.AccountId);
        Assert.Equal("user-7", read.CreatedBy);
        Assert.Equal(IntegrationAuthTypes.OAuth2, read.AuthType);
        Assert.Equal("at-1", read.Credentials["access_token"]);
        Assert.Equal("rt-1", read.Credentials["refresh_token"]);
        Assert.Equal("cloud-1", read.Metadata["cloud_id"]);
        Assert.Equal("https://acme.atlassian.net", read.Metadata["site_url"]);
        Assert.Equal(["read:jira-work", "offline_access"], read.Scopes);
        Assert.Equal(IntegrationStatus.Active, read.Status);
    }

    [Fact]
    public async Task InsertAsync_TwoRecords_GetDistinctIds()
    {
        var store = CreateStore();

        var first = await store.InsertAsync(Sample());
        var second = await store.InsertAsync(Sample());

        Assert.NotEqual(first.Id, second.Id);
    }

    [Fact]
    public async Task InsertAsync_GivenHexId_KeepsIt()
    {
        var store = CreateStore();

        var inserted = await store.InsertAsync(Sample() with { Id = "66aa000000000000000000e5" });

        Assert.Equal("66aa000000000000000000e5", inserted.Id);
        Assert.NotNull(await store.GetAsync("66aa000000000000000000e5"));
    }

    [Theory]
    [InlineData("does-not-exist")]
    [InlineData("xyz")]
    [InlineData("66aa000000000000000000e")]
    [InlineData("66aa000000000000000000e5z")]
    public async Task InsertAsync_NonHexId_ThrowsIdInvalid(string id)
    {
        var store = CreateStore();

        var error = await Assert.ThrowsAsync<IntegrationException>(() => store.InsertAsync(Sample() with { Id = id }));

        Assert.Equal(IntegrationErrorCodes.IdInvalid, error.ErrorCode);
    }

    [Fact]
    public async Task InsertAsync_IdThatExists_ThrowsVersionConflictAndKeepsTheFirst()
    {
        var store = CreateStore();
        var first = await store.InsertAsync(Sample() with { Id = "66aa000000000000000000a1" });

        var error = await Assert.ThrowsAsync<IntegrationException>(
            () => store.InsertAsync(Sample() with { Id = first.Id, AccountId = "acct-intruder" }));

        Assert.Equal(IntegrationErrorCodes.VersionConflict, error.ErrorCode);
        Assert.Equal("acct-1", (await store.GetAsync(first.Id))!.AccountId);
    }

    [Fact]
    public async Task UpdateAsync_ExpectedVersion_BumpsVersionAndUpdatedAtOnly()
    {
        var store = CreateStore();
        var inserted = await store.InsertAsync(Sample());
        Time.Advance(TimeSpan.FromMinutes(5));

        var updated = await store.UpdateAsync(inserted with { Scopes = ["read:jira-work"], Status = IntegrationStatus.Disabled, CreatedAt = default }, 1);

        Assert.Equal(2, updated.Version);
        Assert.Equal(Start, updated.CreatedAt);
        Assert.Equal(Start.AddMinutes(5), updated.UpdatedAt);
        Assert.Equal(["read:jira-work"], updated.Scopes);
        Assert.Equal(IntegrationStatus.Disabled, updated.Status);
        AssertSameRecord(updated, await store.GetAsync(inserted.Id));
    }

    [Fact]
    public async Task UpdateAsync_StaleVersion_ThrowsConcurrencyExceptionAndWritesNothing()
    {
        var store = CreateStore();
        var inserted = await store.InsertAsync(Sample());
        var current = await store.UpdateAsync(inserted with { Status = IntegrationStatus.Disabled }, 1);

        var error = await Assert.ThrowsAsync<IntegrationConcurrencyException>(
            () => store.UpdateAsync(inserted with { Status = IntegrationStatus.ReauthorizationRequired }, 1));

        Assert.Equal(IntegrationErrorCodes.VersionConflict, error.ErrorCode);
        Assert.Equal(inserted.Id, error.IntegrationId);
        Assert.Equal(1, error.ExpectedVersion);
        Assert.Contains("version 1", error.Message, StringComparison.Ordinal);
        AssertSameRecord(current, await store.GetAsync(inserted.Id));
    }

    [Fact]
    public async Task UpdateAsync_TwoWritersOnOneVersion_FirstWinsSecondGetsConflict()
    {
        var store = CreateStore();
        var inserted = await store.InsertAsync(Sample());

        var winner = await store.UpdateAsync(inserted with { Credentials = new Dictionary<string, string> { ["refresh_token"] = "writer-1" } }, 1);
        var loser = await Assert.ThrowsAsync<IntegrationConcurrencyException>(
            () => store.UpdateAsync(inserted with { Credentials = new Dictionary<string, string> { ["refresh_token"] = "writer-2" } }, 1));

        Assert.Equal(IntegrationErrorCodes.VersionConflict, loser.ErrorCode);
        Assert.Equal(2, winner.Version);
        Assert.Equal("writer-1", (await store.GetAsync(inserted.Id))!.Credentials["refresh_token"]);
    }

    [Fact]
    public async Task UpdateAsync_TwentyParallelWritersOnOneVersion_ExactlyOneWins()
    {
        var store = CreateStore();
        var inserted = await store.InsertAsync(Sample());
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var writers = Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            await start.Task;
            try
            {
                var credentials = new Dictionary<string, string>(inserted.Credentials) { ["refresh_token"] = $"rt-writer-{i}" };
                await store.UpdateAsync(inserted with { Credentials = credentials }, 1);
                return (Writer: i, Won: true);
            }
            catch (IntegrationConcurrencyException)
            {
                return (Writer: i, Won: false);
            }
        })).ToList();
        start.SetResult();
        var results = await Task.WhenAll(writers);

        var winner = Assert.Single(results, r => r.Won);
        var read = await store.GetAsync(inserted.Id);
        Assert.NotNull(read);
        Assert.Equal(2, read.Version);
        Assert.Equal($"rt-writer-{winner.Writer}", read.Credentials["refresh_token"]);
    }

    [Fact]
    public async Task UpdateAsync_MissingOrNonHexId_ThrowsNotFound()
    {
        var store = CreateStore();

        var missing = await Assert.ThrowsAsync<IntegrationNotFoundException>(
            () => store.UpdateAsync(Sample() with { Id = "66aa000000000000000000f6" }, 1));
        var nonHex = await Assert.ThrowsAsync<IntegrationNotFoundException>(
            () => store.UpdateAsync(Sample() with { Id = "not-an-object-id" }, 1));

        Assert.Equal(IntegrationErrorCodes.NotFound, missing.ErrorCode);
        Assert.Equal("66aa000000000000000000f6", missing.IntegrationId);
        Assert.Equal("not-an-object-id", nonHex.IntegrationId);
    }

    [Fact]
    public async Task FindByAccountAsync_WithAndWithoutProviders_ReturnsTheAccountsRecordsOldestFirst()
    {
        var store = CreateStore();
        var jira = await store.InsertAsync(Sample());
        Time.Advance(TimeSpan.FromSeconds(1));
        var slack = await store.InsertAsync(Sample() with { Provider = IntegrationProviders.Slack });
        Time.Advance(TimeSpan.FromSeconds(1));
        var confluence = await store.InsertAsync(Sample() with { Provider = IntegrationProviders.Confluence });
        await store.InsertAsync(Sample() with { AccountId = "acct-other" });

        Assert.Equal([jira.Id, slack.Id, confluence.Id], (await store.FindByAccountAsync("acct-1")).Select(r => r.Id));
        Assert.Equal([jira.Id, slack.Id, confluence.Id], (await store.FindByAccountAsync("acct-1", [])).Select(r => r.Id));
        Assert.Equal([jira.Id, confluence.Id], (await store.FindByAccountAsync("acct-1", [IntegrationProviders.Confluence, IntegrationProviders.Jira])).Select(r => r.Id));
        Assert.Empty(await store.FindByAccountAsync("acct-nobody"));
    }

    [Fact]
    public async Task DeleteAsync_ExistingRecord_RemovesItOnce()
    {
        var store = CreateStore();
        var inserted = await store.InsertAsync(Sample());

        Assert.True(await store.DeleteAsync(inserted.Id));
        Assert.Null(await store.GetAsync(inserted.Id));
        Assert.False(await store.DeleteAsync(inserted.Id));
    }

    [Fact]
    public async Task GetAndDeleteAsync_NonHexId_ReturnNullAndFalse()
    {
        var store = CreateStore();

        Assert.Null(await store.GetAsync("not-hex"));
        Assert.Null(await store.GetAsync("0123456789abcdef0123456z"));
        Assert.False(await store.DeleteAsync("not-hex"));
    }

    [Fact]
    public async Task InsertAndUpdateAsync_CallerMutatesItsCollectionsAfterwards_StoredRecordIsUnchanged()
    {
        var store = CreateStore();
        var credentials = new Dictionary<string, string> { ["api_key"] = "k1-SECRET" };
        var metadata = new Dictionary<string, string> { ["base_url"] = "https://api.example.com" };
        var scopes = new List<string> { "read" };
        var inserted = await store.InsertAsync(new Integration
        {
            Provider = IntegrationProviders.Custom, AccountId = "acct", AuthType = IntegrationAuthTypes.ApiKey,
            Credentials = credentials, Metadata = metadata, Scopes = scopes,
        });
        credentials["api_key"] = "changed-SECRET";
        metadata.Clear();
        scopes.Add("write");
        var afterInsert = await store.GetAsync(inserted.Id);

        var updateCredentials = new Dictionary<string, string> { ["api_key"] = "k2-SECRET" };
        await store.UpdateAsync(inserted with { Credentials = updateCredentials }, 1);
        updateCredentials["api_key"] = "changed-SECRET";
        var afterUpdate = await store.GetAsync(inserted.Id);

        Assert.NotNull(afterInsert);
        Assert.Equal("k1-SECRET", afterInsert.Credentials["api_key"]);
        Assert.Equal("https://api.example.com", afterInsert.Metadata["base_url"]);
        Assert.Equal(["read"], afterInsert.Scopes);
        Assert.Equal(1, afterInsert.Version);
        Assert.NotNull(afterUpdate);
        Assert.Equal("k2-SECRET", afterUpdate.Credentials["api_key"]);
    }

    [Fact]
    public async Task FindStaleOAuthAsync_MixedRecords_PagesActiveOAuthRecordsWrittenBeforeTheCutoffById()
    {
        var store = CreateStore();
        Integration OAuth(string account, string status = IntegrationStatus.Active) => Sample() with { AccountId = account, Status = status };
        var idle = new List<string>
        {
            (await store.InsertAsync(OAuth("a"))).Id,
            (await store.InsertAsync(OAuth("b"))).Id,
            (await store.InsertAsync(OAuth("c"))).Id,
        };
        await store.InsertAsync(OAuth("reauth", IntegrationStatus.ReauthorizationRequired));
        await store.InsertAsync(OAuth("disabled", IntegrationStatus.Disabled));
        await store.InsertAsync(OAuth("key") with { AuthType = IntegrationAuthTypes.ApiKey, Credentials = new Dictionary<string, string> { ["api_key"] = "k" } });
        var touched = await store.InsertAsync(OAuth("touched"));
        Time.Advance(TimeSpan.FromDays(40));
        var fresh = await store.InsertAsync(OAuth("fresh"));
        await store.UpdateAsync(touched with { Scopes = ["read:jira-work"] }, touched.Version); // written recently: not idle
        var cutoff = Time.GetUtcNow() - TimeSpan.FromDays(30);

        var first = await store.FindStaleOAuthAsync(cutoff, limit: 2);
        var second = await store.FindStaleOAuthAsync(cutoff, limit: 2, afterId: first[^1].Id);
        var third = await store.FindStaleOAuthAsync(cutoff, limit: 2, afterId: second[^1].Id);

        Assert.Equal(2, first.Count);
        Assert.Equal(idle.Order(StringComparer.Ordinal), first.Concat(second).Select(r => r.Id));
        Assert.Empty(third);
        Assert.DoesNotContain(first.Concat(second), r => r.Id == fresh.Id || r.Id == touched.Id);
    }

    /// <summary>A full OAuth record, as an Atlassian install leaves it.</summary>
    protected static Integration Sample() => new()
    {
        Provider = IntegrationProviders.Jira,
        AccountId = "acct-1",
        CreatedBy = "user-7",
        AuthType = IntegrationAuthTypes.OAuth2,
        Credentials = new Dictionary<string, string> { ["access_token"] = "at-1", ["refresh_token"] = "rt-1", ["token_type"] = "Bearer" },
        Metadata = new Dictionary<string, string> { ["cloud_id"] = "cloud-1", ["site_url"] = "https://acme.atlassian.net" },
        Scopes = ["read:jira-work", "offline_access"],
    };

    /// <summary>Field by field: stores may hand back other collection types for the same content.</summary>
    protected static void AssertSameRecord(Integration expected, Integration? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.Provider, actual.Provider);
        Assert.Equal(expected.AccountId, actual.AccountId);
        Assert.Equal(expected.CreatedBy, actual.CreatedBy);
        Assert.Equal(expected.AuthType, actual.AuthType);
        Assert.Equal(expected.Credentials.OrderBy(p => p.Key), actual.Credentials.OrderBy(p => p.Key));
        Assert.Equal(expected.Metadata.OrderBy(p => p.Key), actual.Metadata.OrderBy(p => p.Key));
        Assert.Equal(expected.Scopes, actual.Scopes);
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.Version, actual.Version);
        Assert.Equal(expected.CreatedAt, actual.CreatedAt);
        Assert.Equal(expected.UpdatedAt, actual.UpdatedAt);
    }

    [GeneratedRegex("^[0-9a-f]{24}$")]
    private static partial Regex ObjectIdShape();
}
