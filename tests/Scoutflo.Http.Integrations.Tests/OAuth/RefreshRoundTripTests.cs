using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Scoutflo.Http.Integrations.Storage.InMemory;
using Scoutflo.Http.Integrations.TestSupport;
using Scoutflo.Http.Integrations.Tests.TestSupport;

namespace Scoutflo.Http.Integrations.Tests.OAuth;

/// <summary>
/// What one refresh costs the integration store. A store round trip here is one call on
/// <see cref="IIntegrationStore"/> (MongoDB in production); the shared cache and the refresh lock
/// (Redis) are not counted, they are another server with their own budget. The bound: one read
/// of the record and its siblings under the lock, one write of the rotated tokens to all of them
/// (<see cref="IIntegrationStore.UpdateEachAsync"/>, each record compare-and-set on its own), and
/// one read after the cache writes (so that a delete or re-install that raced the rotation wins):
/// 3 whatever the number of siblings, within the targets of 3 without siblings and 2 + siblings
/// with them.
/// </summary>
public sealed class RefreshRoundTripTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Refresh_AtlassianGrantWithSiblings_CostsThreeRoundTripsWhateverTheSiblings(int siblings)
    {
        await using var harness = new AtlassianHarness(services: services =>
            services.AddSingleton<IIntegrationStore>(sp => new RoundTripCountingStore(new InMemoryIntegrationStore(sp.GetRequiredService<TimeProvider>()))));
        var store = (RoundTripCountingStore)harness.Store;

        // One consent per product, each replacing the account's grant: all of them end up holding one refresh token.
        var jira = await harness.InstallAsync(IntegrationProviders.Jira);
        var products = new[] { IntegrationProviders.Confluence, IntegrationProviders.Jsm };
        foreach (var product in products.Take(siblings))
        {
            await harness.InstallAsync(product);
        }

        var all = await store.FindByAccountAsync(jira.AccountId);
        Assert.Equal(siblings + 1, all.Count);
        Assert.Single(all.Select(r => r.GetCredential(IntegrationCredentialKeys.RefreshToken)).Distinct());

        // Jira, installed first, has the lowest id: the grant's owner, which names the refresh lock.
        Assert.Equal(jira.Id, all.MinBy(r => r.Id, StringComparer.Ordinal)!.Id);
        var client = harness.Jira(jira.Id);
        await client.GetMyselfAsync();
        harness.Fake.ExpireAccessTokens();
        harness.Fake.ResetCounters();
        store.Reset();

        await client.GetMyselfAsync();

        Assert.Equal(1, harness.Fake.RefreshCalls);
        Assert.True(store.Calls.Count <= 3, $"{store.Calls.Count} store round trips for one refresh with {siblings} sibling(s): {string.Join(", ", store.Calls)}");

        // The rotation reached every record sharing the grant.
        var current = harness.Fake.CurrentRefreshToken(harness.Fake.ConsentingAccountId);
        foreach (var record in all)
        {
            Assert.Equal(current, (await harness.Store.GetAsync(record.Id))!.GetCredential(IntegrationCredentialKeys.RefreshToken));
        }
    }

    [Fact]
    public async Task Refresh_ThroughASiblingAboveTheGrantOwner_SpendsTheTokenUnderTheOwnersLock()
    {
        var locks = new RecordingLock();
        await using var harness = new AtlassianHarness(services: services =>
        {
            services.AddSingleton<IIntegrationStore>(sp => new RoundTripCountingStore(new InMemoryIntegrationStore(sp.GetRequiredService<TimeProvider>())));
            services.AddSingleton<IDistributedLock>(locks);
        });
        var store = (RoundTripCountingStore)harness.Store;
        var jira = await harness.InstallAsync(IntegrationProviders.Jira);
        var confluence = await harness.InstallAsync(IntegrationProviders.Confluence);
        Assert.True(string.CompareOrdinal(jira.Id, confluence.Id) < 0, "Jira, installed first, owns the grant");
        var ownersLock = $"integration:jira:{jira.Id}:app_user:{jira.AccountId}:refresh_lock";
        var client = harness.Confluence(confluence.Id);
        await client.GetSpacesAsync();

        for (var round = 1; round <= 2; round++)
        {
            harness.Fake.ExpireAccessTokens();
            harness.Fake.ResetCounters();
            store.Reset();
            locks.Acquired.Clear();

            await client.GetSpacesAsync();

            Assert.Equal(1, harness.Fake.RefreshCalls);
            Assert.Equal(ownersLock, locks.Acquired.Last());

            // The first refresh guessed its own lock, found the owner under it and moved (one
            // more read); the next one remembers the owner.
            var bound = round == 1 ? 4 : 3;
            Assert.True(store.Calls.Count <= bound, $"round {round}: {store.Calls.Count} store round trips: {string.Join(", ", store.Calls)}");
        }

        Assert.False(harness.Fake.IsGrantRevoked(harness.Fake.ConsentingAccountId));
    }

    /// <summary>Records every call on the store, by name and integration or account.</summary>
    private sealed class RoundTripCountingStore(IIntegrationStore inner) : IIntegrationStore
    {
        private ConcurrentQueue<string> _calls = new();

        public IReadOnlyCollection<string> Calls => _calls;

        public void Reset() => _calls = new ConcurrentQueue<string>();

        public Task<Integration?> GetAsync(string integrationId, CancellationToken cancellationToken = default)
        {
            _calls.Enqueue($"Get({integrationId})");
            return inner.GetAsync(integrationId, cancellationToken);
        }

        public Task<IReadOnlyList<Integration>> FindByAccountAsync(string accountId, IReadOnlyCollection<string>? providers = null, CancellationToken cancellationToken = default)
        {
            _calls.Enqueue($"FindByAccount({accountId})");
            return inner.FindByAccountAsync(accountId, providers, cancellationToken);
        }

        public Task<Integration> InsertAsync(Integration integration, CancellationToken cancellationToken = default)
        {
            _calls.Enqueue("Insert");
            return inner.InsertAsync(integration, cancellationToken);
        }

        public Task<Integration> UpdateAsync(Integration integration, int expectedVersion, CancellationToken cancellationToken = default)
        {
            _calls.Enqueue($"Update({integration.Id})");
            return inner.UpdateAsync(integration, expectedVersion, cancellationToken);
        }

        public Task<IReadOnlyList<Integration?>> UpdateEachAsync(IReadOnlyList<IntegrationUpdate> updates, CancellationToken cancellationToken = default)
        {
            _calls.Enqueue($"UpdateEach({string.Join(", ", updates.Select(u => u.Current.Id))})");
            return inner.UpdateEachAsync(updates, cancellationToken);
        }

        public Task<IReadOnlyList<Integration>> FindStaleOAuthAsync(DateTimeOffset updatedBefore, int limit, string? afterId = null, CancellationToken cancellationToken = default)
        {
            _calls.Enqueue("FindStaleOAuth");
            return inner.FindStaleOAuthAsync(updatedBefore, limit, afterId, cancellationToken);
        }

        public Task<bool> DeleteAsync(string integrationId, CancellationToken cancellationToken = default)
        {
            _calls.Enqueue($"Delete({integrationId})");
            return inner.DeleteAsync(integrationId, cancellationToken);
        }
    }
}
