using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using Scoutflo.Http.Integrations.Storage.InMemory;
using Scoutflo.Http.Integrations.Tests.TestSupport;

namespace Scoutflo.Http.Integrations.Tests.Storage.InMemory;

/// <summary>The embedded store: ObjectId-shaped ids, versions, timestamps and version-conditional updates.</summary>
public sealed partial class InMemoryIntegrationStoreTests
{
    private readonly FakeTimeProvider _time = new(TestHost.Start);
    private readonly InMemoryIntegrationStore _store;

    public InMemoryIntegrationStoreTests() => _store = new InMemoryIntegrationStore(_time);

    [Fact]
    public async Task InsertAsync_NewRecord_AssignsHexIdVersionOneAndTimestamps()
    {
        var stored = await _store.InsertAsync(Records.CustomBearer());

        Assert.Matches(HexId(), stored.Id);
        Assert.Equal(1, stored.Version);
        Assert.Equal(TestHost.Start, stored.CreatedAt);
        Assert.Equal(TestHost.Start, stored.UpdatedAt);
        Assert.Equal(stored, await _store.GetAsync(stored.Id));
    }

    [Fact]
    public async Task InsertAsync_TwoRecords_GetDistinctIds()
    {
        var first = await _store.InsertAsync(Records.CustomBearer());
        var second = await _store.InsertAsync(Records.CustomBearer());

        Assert.NotEqual(first.Id, second.Id);
    }

    [Fact]
    public async Task InsertAsync_GivenHexId_KeepsIt()
    {
        var stored = await _store.InsertAsync(Records.CustomBearer() with { Id = "66aa000000000000000000e5" });

        Assert.Equal("66aa000000000000000000e5", stored.Id);
    }

    [Theory]
    [InlineData("does-not-exist")]
    [InlineData("66aa000000000000000000e")]
    public async Task InsertAsync_NonHexId_ThrowsIdInvalid(string id)
    {
        var error = await Assert.ThrowsAsync<IntegrationException>(() => _store.InsertAsync(Records.CustomBearer() with { Id = id }));

        Assert.Equal(IntegrationErrorCodes.IdInvalid, error.ErrorCode);
    }

    [Fact]
    public async Task InsertAsync_ExistingId_ThrowsAndKeepsTheFirst()
    {
        var first = await _store.InsertAsync(Records.CustomBearer("first-SECRET"));

        await Assert.ThrowsAnyAsync<IntegrationException>(() => _store.InsertAsync(Records.CustomBearer("second-SECRET") with { Id = first.Id }));

        Assert.Equal("first-SECRET", (await _store.GetAsync(first.Id))!.GetCredential(IntegrationCredentialKeys.Token));
    }

    [Fact]
    public async Task UpdateAsync_ExpectedVersion_IncrementsVersionAndUpdatedAtOnly()
    {
        var stored = await _store.InsertAsync(Records.CustomBearer());
        _time.Advance(TimeSpan.FromMinutes(3));

        var updated = await _store.UpdateAsync(stored with { Status = IntegrationStatus.Disabled, CreatedAt = default }, stored.Version);

        Assert.Equal(2, updated.Version);
        Assert.Equal(IntegrationStatus.Disabled, updated.Status);
        Assert.Equal(TestHost.Start, updated.CreatedAt);
        Assert.Equal(TestHost.Start.AddMinutes(3), updated.UpdatedAt);
        Assert.Equal(updated, await _store.GetAsync(stored.Id));
    }

    [Fact]
    public async Task UpdateAsync_StaleVersion_ThrowsVersionConflictAndLeavesTheRecord()
    {
        var stored = await _store.InsertAsync(Records.CustomBearer());
        var current = await _store.UpdateAsync(stored with { Status = IntegrationStatus.Disabled }, stored.Version);

        var error = await Assert.ThrowsAsync<IntegrationConcurrencyException>(
            () => _store.UpdateAsync(stored with { Status = IntegrationStatus.ReauthorizationRequired }, stored.Version));

        Assert.Equal("integration_version_conflict", error.ErrorCode);
        Assert.Equal(stored.Id, error.IntegrationId);
        Assert.Equal(1, error.ExpectedVersion);
        Assert.Contains("version 1", error.Message, StringComparison.Ordinal);
        Assert.Equal(current, await _store.GetAsync(stored.Id));
    }

    [Fact]
    public async Task UpdateAsync_TwoWritersSameExpectedVersion_FirstWinsSecondGetsConflict()
    {
        var stored = await _store.InsertAsync(Records.CustomBearer());

        var winner = await _store.UpdateAsync(stored with { Credentials = new Dictionary<string, string> { ["token"] = "writer-1" } }, 1);
        var loser = await Assert.ThrowsAsync<IntegrationConcurrencyException>(
            () => _store.UpdateAsync(stored with { Credentials = new Dictionary<string, string> { ["token"] = "writer-2" } }, 1));

        Assert.Equal(IntegrationErrorCodes.VersionConflict, loser.ErrorCode);
        Assert.Equal("writer-1", (await _store.GetAsync(stored.Id))!.GetCredential("token"));
        Assert.Equal(2, winner.Version);
    }

    [Fact]
    public async Task UpdateAsync_TwentyParallelWriters_ExactlyOneWins()
    {
        var stored = await _store.InsertAsync(Records.CustomBearer());
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var writers = Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            await start.Task;
            try
            {
                await _store.UpdateAsync(stored with { Credentials = new Dictionary<string, string> { ["token"] = $"writer-{i}" } }, 1);
                return $"writer-{i}";
            }
            catch (IntegrationConcurrencyException)
            {
                return null;
            }
        })).ToList();
        start.SetResult();
        var results = await Task.WhenAll(writers);

        var winner = Assert.Single(results, r => r is not null);
        var final = (await _store.GetAsync(stored.Id))!;
        Assert.Equal(winner, final.GetCredential("token"));
        Assert.Equal(2, final.Version);
    }

    [Fact]
    public async Task UpdateAsync_UnknownId_ThrowsNotFound()
    {
        var error = await Assert.ThrowsAsync<IntegrationNotFoundException>(
            () => _store.UpdateAsync(Records.CustomBearer() with { Id = "66aa000000000000000000f6" }, 1));

        Assert.Equal(IntegrationErrorCodes.NotFound, error.ErrorCode);
    }

    [Fact]
    public async Task FindByAccountAsync_ProvidersFilter_ReturnsMatchingRecordsInCreationOrder()
    {
        var jira = await _store.InsertAsync(Records.JiraBasic("https://acme.atlassian.net"));
        _time.Advance(TimeSpan.FromSeconds(1));
        var sentry = await _store.InsertAsync(Records.SentryBearer(baseUrl: null));
        _time.Advance(TimeSpan.FromSeconds(1));
        var custom = await _store.InsertAsync(Records.CustomBearer());
        await _store.InsertAsync(Records.CustomBearer() with { AccountId = "another-account" });

        Assert.Equal([jira.Id, sentry.Id, custom.Id], (await _store.FindByAccountAsync(Records.AccountId)).Select(r => r.Id));
        Assert.Equal([jira.Id, sentry.Id, custom.Id], (await _store.FindByAccountAsync(Records.AccountId, [])).Select(r => r.Id));
        Assert.Equal([jira.Id, custom.Id], (await _store.FindByAccountAsync(Records.AccountId, ["jira", "custom"])).Select(r => r.Id));
        Assert.Empty(await _store.FindByAccountAsync("nobody"));
    }

    [Fact]
    public async Task DeleteAsync_Existing_RemovesItOnce()
    {
        var stored = await _store.InsertAsync(Records.CustomBearer());

        Assert.True(await _store.DeleteAsync(stored.Id));
        Assert.Null(await _store.GetAsync(stored.Id));
        Assert.False(await _store.DeleteAsync(stored.Id));
    }

    [Fact]
    public async Task InsertAsync_CallerMutatesItsDictionariesAfterwards_StoredRecordUnchanged()
    {
        var credentials = new Dictionary<string, string> { [IntegrationCredentialKeys.Token] = "original-SECRET" };
        var metadata = new Dictionary<string, string> { [IntegrationMetadataKeys.BaseUrl] = Records.CustomBaseUrl };
        var scopes = new List<string> { "read" };
        var stored = await _store.InsertAsync(Records.CustomBearer() with { Credentials = credentials, Metadata = metadata, Scopes = scopes });

        credentials[IntegrationCredentialKeys.Token] = "changed-SECRET";
        metadata[IntegrationMetadataKeys.BaseUrl] = "https://elsewhere.example.test";
        scopes.Add("admin");

        var read = (await _store.GetAsync(stored.Id))!;
        Assert.Equal("original-SECRET", read.GetCredential(IntegrationCredentialKeys.Token));
        Assert.Equal(Records.CustomBaseUrl, read.GetMetadata(IntegrationMetadataKeys.BaseUrl));
        Assert.Equal(["read"], read.Scopes);
        Assert.Equal(1, read.Version);
    }

    [Fact]
    public async Task UpdateAsync_CallerMutatesItsDictionaryAfterwards_StoredRecordUnchanged()
    {
        var stored = await _store.InsertAsync(Records.CustomBearer());
        var credentials = new Dictionary<string, string> { [IntegrationCredentialKeys.Token] = "rotated-SECRET" };
        await _store.UpdateAsync(stored with { Credentials = credentials }, stored.Version);

        credentials[IntegrationCredentialKeys.Token] = "changed-SECRET";

        Assert.Equal("rotated-SECRET", (await _store.GetAsync(stored.Id))!.GetCredential(IntegrationCredentialKeys.Token));
    }

    [GeneratedRegex("^[0-9a-f]{24}$")]
    private static partial Regex HexId();
}
