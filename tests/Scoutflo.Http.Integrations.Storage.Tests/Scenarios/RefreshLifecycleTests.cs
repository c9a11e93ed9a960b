using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using MongoDB.Driver;
using Scoutflo.Http.Integrations.Fakes;
using Scoutflo.Http.Integrations.Fakes.Atlassian;
using Scoutflo.Http.Integrations.TestSupport;
using StackExchange.Redis;

namespace Scoutflo.Http.Integrations.Storage.Tests.Scenarios;

/// <summary>
/// What happens beside a refresh in flight, across replicas sharing MongoDB and Redis: a
/// delete, a re-install, a failed store write, a second replica computing the grant's lock
/// while the first writes siblings one by one. Each refresh is held at one exact step with a
/// gate (a task the test completes), never with a sleep. The Atlassian fake's refresh tokens
/// die the moment they are rotated (leeway 0, as Slack's), so a second spend shows as a revoked grant.
/// </summary>
public sealed class RefreshLifecycleTests : IAsyncLifetime
{
    private readonly string _database = TestServers.UniqueName("scoutflo_life");
    private readonly string _signingKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private readonly string _account = $"acct-{Guid.NewGuid():N}";
    private ConnectionMultiplexer _redis = null!;

    [Fact]
    public async Task Refresh_DeletedBeforeItsStoreWrite_CachesNothing_AndEveryReplicaGetsNotFound()
    {
        using var fake = NewFake();
        GatedIntegrationStore? gated = null;
        await using var first = new ServiceReplica(fake, _database, TestServers.Redis, _signingKey,
            s => s.Decorate<IIntegrationStore>(inner => gated = new GatedIntegrationStore(inner)));
        await using var second = new ServiceReplica(fake, _database, TestServers.Redis, _signingKey);
        var jira = await first.InstallAsync(fake, IntegrationProviders.Jira, _account);
        await first.CallAsync(jira);
        await second.CallAsync(jira);
        fake.ExpireAccessTokens();

        var hold = new Hold();
        gated!.BeforeUpdate = record =>
        {
            return hold.WaitAsync();
        };
        var call = first.CallAsync(jira);
        await hold.Reached; // the provider has answered; the rotated tokens wait for the store
        Assert.True(await second.Connections.DeleteConnectionAsync(jira.Id));
        hold.Release();

        var error = await Assert.ThrowsAsync<IntegrationNotFoundException>(() => call);
        Assert.Equal(jira.Id, error.IntegrationId);
        Assert.Empty(await KeysOfAsync(jira.Id));
        var elsewhere = await Assert.ThrowsAsync<IntegrationNotFoundException>(() => second.CallAsync(jira));
        Assert.Equal("integration_not_found", elsewhere.ErrorCode);
        Assert.Empty(await KeysOfAsync(jira.Id));
    }

    [Fact]
    public async Task Refresh_DeletedBetweenItsStoreWriteAndItsCacheWrite_TakesBackItsToken()
    {
        using var fake = NewFake();
        GatedTokenCache? gated = null;
        await using var first = new ServiceReplica(fake, _database, TestServers.Redis, _signingKey,
            s => s.Decorate<ITokenCache>(inner => gated = new GatedTokenCache(inner)));
        await using var second = new ServiceReplica(fake, _database, TestServers.Redis, _signingKey);
        var jira = await first.InstallAsync(fake, IntegrationProviders.Jira, _account);
        await first.CallAsync(jira);
        fake.ExpireAccessTokens();

        var accessKey = $"integration:jira:{jira.Id}:app_user:{_account}:access_token";
        var hold = new Hold();
        gated!.BeforeSet = key =>
        {
            if (key != accessKey)
            {
                return Task.CompletedTask;
            }

            return hold.WaitAsync();
        };
        var call = first.CallAsync(jira);
        await hold.Reached; // stored, not cached yet
        Assert.True(await second.Connections.DeleteConnectionAsync(jira.Id));
        hold.Release();

        var error = await Assert.ThrowsAsync<IntegrationNotFoundException>(() => call);
        Assert.Equal(jira.Id, error.IntegrationId);
        Assert.Empty(await KeysOfAsync(jira.Id));
    }

    [Fact]
    public async Task Refresh_ReinstalledWhileItsTokenCallRan_TheReinstallKeepsItsGrant()
    {
        using var fake = NewFake();
        GatedIntegrationStore? gated = null;
        await using var first = new ServiceReplica(fake, _database, TestServers.Redis, _signingKey,
            s => s.Decorate<IIntegrationStore>(inner => gated = new GatedIntegrationStore(inner)));
        await using var second = new ServiceReplica(fake, _database, TestServers.Redis, _signingKey);
        var jira = await first.InstallAsync(fake, IntegrationProviders.Jira, _account);
        await first.CallAsync(jira);
        fake.ExpireAccessTokens();

        var hold = new Hold();
        gated!.BeforeUpdate = record =>
        {
            return hold.WaitAsync();
        };
        var call = first.CallAsync(jira);
        await hold.Reached;
        var reinstalled = await second.InstallAsync(fake, IntegrationProviders.Jira, _account);
        Assert.Equal(jira.Id, reinstalled.Id);
        hold.Release();
        await call; // served with the re-install's token

        var stored = await second.Store.GetAsync(jira.Id);
        Assert.Equal(reinstalled.GetCredential(IntegrationCredentialKeys.RefreshToken), stored!.GetCredential(IntegrationCredentialKeys.RefreshToken));
        Assert.Equal(fake.CurrentRefreshToken(fake.ConsentingAccountId), stored.GetCredential(IntegrationCredentialKeys.RefreshToken));
        var cached = await _redis.GetDatabase().StringGetAsync($"integration:jira:{jira.Id}:app_user:{_account}:access_token");
        Assert.True(cached.IsNull || cached == reinstalled.GetCredential(IntegrationCredentialKeys.AccessToken));
        Assert.False(fake.IsGrantRevoked(fake.ConsentingAccountId));
        await second.CallAsync(jira);
        Assert.False(fake.IsGrantRevoked(fake.ConsentingAccountId));
    }

    [Fact]
    public async Task Refresh_StoreWriteFailsAfterTheProviderRotated_AnotherReplicaAdoptsTheJournal()
    {
        using var fake = NewFake();
        GatedIntegrationStore? gated = null;
        await using var first = new ServiceReplica(fake, _database, TestServers.Redis, _signingKey,
            s => s.Decorate<IIntegrationStore>(inner => gated = new GatedIntegrationStore(inner)));
        await using var second = new ServiceReplica(fake, _database, TestServers.Redis, _signingKey);
        var jira = await first.InstallAsync(fake, IntegrationProviders.Jira, _account);
        await first.CallAsync(jira);
        await second.CallAsync(jira);
        fake.ExpireAccessTokens();
        fake.ResetCounters();

        gated!.BeforeUpdate = _ => throw new MongoClientException("the store is down");
        var error = await Assert.ThrowsAsync<IntegrationException>(() => first.CallAsync(jira));
        Assert.Equal("integration_store_write_failed", error.ErrorCode);
        Assert.Equal(jira.Id, error.IntegrationId);
        Assert.Equal(IntegrationProviders.Jira, error.Provider);
        var journalKey = $"integration:jira:{jira.Id}:app_user:{_account}:rotation";
        Assert.True(await _redis.GetDatabase().KeyExistsAsync(journalKey));
        gated.BeforeUpdate = null;

        await second.CallAsync(jira);

        Assert.Equal(1, fake.RefreshCalls);
        Assert.False(fake.IsGrantRevoked(fake.ConsentingAccountId));
        var stored = await second.Store.GetAsync(jira.Id);
        Assert.Equal(fake.CurrentRefreshToken(fake.ConsentingAccountId), stored!.GetCredential(IntegrationCredentialKeys.RefreshToken));
        Assert.Equal(IntegrationStatus.Active, stored.Status);
        Assert.False(await _redis.GetDatabase().KeyExistsAsync(journalKey));
    }

    [Fact]
    public async Task SiblingLock_SecondReplicaComputesItWhileTheFirstWritesSiblingsOneByOne_SameLockOneRefresh()
    {
        using var fake = NewFake();
        GatedIntegrationStore? gated = null;
        RecordingLock? locks = null;
        await using var first = new ServiceReplica(fake, _database, TestServers.Redis, _signingKey,
            s => s.Decorate<IIntegrationStore>(inner => gated = new GatedIntegrationStore(inner)));
        await using var second = new ServiceReplica(fake, _database, TestServers.Redis, _signingKey,
            s => s.Decorate<IDistributedLock>(inner => locks = new RecordingLock(inner)));
        var jira = await first.InstallAsync(fake, IntegrationProviders.Jira, _account);
        var confluence = await first.InstallAsync(fake, IntegrationProviders.Confluence, _account);
        var siblings = new[] { (await first.Store.GetAsync(jira.Id))!, (await first.Store.GetAsync(confluence.Id))! };
        var low = siblings.MinBy(s => s.Id, StringComparer.Ordinal)!;
        var high = siblings.MaxBy(s => s.Id, StringComparer.Ordinal)!;
        await first.CallAsync(low);
        await second.CallAsync(high);
        Assert.False(locks!.FirstRequest.IsCompleted); // the second replica has not refreshed yet
        fake.ExpireAccessTokens();
        fake.ResetCounters();

        // The first replica refreshes through the lower id: it writes that record, then holds
        // before writing the other sibling, which still holds the spent refresh token.
        var hold = new Hold();
        gated!.BeforeUpdate = record => record.Id == high.Id && hold.TryReach() ? hold.Released : Task.CompletedTask;
        var firstCall = first.CallAsync(low);
        await hold.Reached;
        var secondCall = second.CallAsync(high);

        // Held until the second replica asks for the owner's lock: released sooner, the first
        // could cache the sibling's token before the second looks again, and it would be
        // served without moving (which is right, but not what this test is about).
        var ownersLock = $"integration:{low.Provider}:{low.Id}:app_user:{_account}:refresh_lock";
        await Signal.WaitAsync(locks.Requested(ownersLock), "the second replica asking for the grant owner's lock");
        hold.Release();
        await Task.WhenAll(firstCall, secondCall);

        // The second replica may first take the lock it guesses (its own record's: it has not
        // seen the account yet); the read under it names the owner, and the refresh goes on
        // under the owner's lock, the one the first replica holds. Nothing is spent under a guess.
        Assert.Equal(ownersLock, locks.Requests.Last());
        Assert.Equal(1, fake.RefreshCalls);
        Assert.False(fake.IsGrantRevoked(fake.ConsentingAccountId));
        foreach (var sibling in siblings)
        {
            var stored = await first.Store.GetAsync(sibling.Id);
            Assert.Equal(fake.CurrentRefreshToken(fake.ConsentingAccountId), stored!.GetCredential(IntegrationCredentialKeys.RefreshToken));
        }
    }

    public async Task InitializeAsync() => _redis = await ConnectionMultiplexer.ConnectAsync(TestServers.RedisOptions());

    public async Task DisposeAsync()
    {
        using var client = TestServers.CreateMongoClient();
        await client.DropDatabaseAsync(_database);
        await _redis.DisposeAsync();
    }

    private static AtlassianFake NewFake() => new(new AtlassianFakeOptions { RefreshTokenReuseLeeway = TimeSpan.Zero });

    private async Task<List<string>> KeysOfAsync(string integrationId)
    {
        var keys = new List<string>();
        foreach (var endpoint in _redis.GetEndPoints())
        {
            await foreach (var key in _redis.GetServer(endpoint).KeysAsync(pattern: $"integration:*:{integrationId}:*"))
            {
                keys.Add(key.ToString());
            }
        }

        return keys;
    }
}
