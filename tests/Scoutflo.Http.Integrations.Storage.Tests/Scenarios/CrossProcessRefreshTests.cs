using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using MongoDB.Driver;
using Scoutflo.Http.Integrations.Fakes.Atlassian;
using Scoutflo.Http.Integrations.Redis.Internal;
using Scoutflo.Http.Integrations.TestSupport;
using StackExchange.Redis;

namespace Scoutflo.Http.Integrations.Storage.Tests.Scenarios;

/// <summary>
/// Several replicas of a service sharing one MongoDB and one Redis, against an Atlassian fake
/// whose refresh tokens die the moment they are rotated (leeway 0): one refresh per rotation
/// across every process, or the grant is burned.
/// </summary>
public abstract class CrossProcessRefreshTests : IAsyncLifetime
{
    private readonly string _database = TestServers.UniqueName("scoutflo_xproc");
    private readonly string _signingKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private readonly string _account = $"acct-{Guid.NewGuid():N}";

    [Fact]
    public async Task ThousandConcurrentCalls_OnAnExpiredToken_AcrossFourReplicas_RefreshOnce()
    {
        using var fake = new AtlassianFake(new AtlassianFakeOptions { RefreshTokenReuseLeeway = TimeSpan.Zero });
        var replicas = Enumerable.Range(0, 4).Select(_ => new ServiceReplica(fake, Database, Redis, SigningKey)).ToList();
        try
        {
            var jira = await replicas[0].InstallAsync(fake, IntegrationProviders.Jira, Account);
            var confluence = await replicas[1].InstallAsync(fake, IntegrationProviders.Confluence, _account);
            var jsm = await replicas[2].InstallAsync(fake, IntegrationProviders.Jsm, _account);
            foreach (var replica in replicas)
            {
                await replica.Jira(jira.Id).GetMyselfAsync(); // every replica holds the token in its L1
            }

            fake.ExpireAccessTokens();
            fake.ResetCounters();

            var calls = Enumerable.Range(0, 1000).Select(i =>
            {
                var replica = replicas[i % replicas.Count];
                return i % 5 == 4
                    ? replica.Confluence(confluence.Id).GetSpacesAsync().ContinueWith(t => t.Result.ValueKind.ToString(), TaskScheduler.Default)
                    : replica.Jira(jira.Id).GetMyselfAsync().ContinueWith(t => t.Result.AccountId, TaskScheduler.Default);
            }).ToList();
            var results = await Task.WhenAll(calls);

            Assert.Equal(1000, results.Length);
            Assert.All(results, r => Assert.False(string.IsNullOrEmpty(r)));
            Assert.Equal(1, fake.TokenEndpointCalls);
            var user = fake.ConsentingAccountId;
            Assert.False(fake.IsGrantRevoked(user));
            var newest = fake.CurrentRefreshToken(user);
            foreach (var sibling in new[] { jira, confluence, jsm })
            {
                var stored = await replicas[3].Store.GetAsync(sibling.Id);
                Assert.Equal(newest, stored!.GetCredential(IntegrationCredentialKeys.RefreshToken));
                Assert.Equal(IntegrationStatus.Active, stored.Status);
            }
        }
        finally
        {
            foreach (var replica in replicas)
            {
                await replica.DisposeAsync();
            }
        }
    }

    /// <summary>The configuration string of the Redis every replica shares.</summary>
    protected abstract string Redis { get; }

    protected string Database => _database;

    protected string SigningKey => _signingKey;

    protected string Account => _account;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        using var client = TestServers.CreateMongoClient();
        await client.DropDatabaseAsync(_database);
    }
}

public sealed class CrossProcessRefreshOnClusterTests : CrossProcessRefreshTests
{
    protected override string Redis => TestServers.RedisCluster;
}

/// <summary>One server, and the outage scenario (a relay in front of one server stands for its outage).</summary>
public sealed class CrossProcessRefreshOnOneServerTests : CrossProcessRefreshTests
{
    protected override string Redis => TestServers.Redis;

    [Fact]
    public async Task RedisStoppedMidRun_ValidTokensKeepWorking_ARefreshFailsClearly_NothingIsLost()
    {
        using var fake = new AtlassianFake(new AtlassianFakeOptions { RefreshTokenReuseLeeway = TimeSpan.Zero });
        await using var relay = new TcpRelay(TestServers.Redis);
        relay.Start();
        var redis = $"127.0.0.1:{relay.Port},abortConnect=false,connectTimeout=500,asyncTimeout=500,syncTimeout=500,connectRetry=0";
        await using var first = new ServiceReplica(fake, Database, redis, SigningKey);
        await using var second = new ServiceReplica(fake, Database, redis, SigningKey);
        var jira = await first.InstallAsync(fake, IntegrationProviders.Jira, Account);
        await first.Jira(jira.Id).GetMyselfAsync();
        await second.Jira(jira.Id).GetMyselfAsync();
        var before = await first.Store.GetAsync(jira.Id);

        relay.Stop();

        // Tokens held in process need no Redis.
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(fake.ConsentingAccountId, (await first.Jira(jira.Id).GetMyselfAsync()).AccountId);
            Assert.Equal(fake.ConsentingAccountId, (await second.Jira(jira.Id).GetMyselfAsync()).AccountId);
        }

        // A refresh needs the lock; without Redis it refuses rather than risk burning the token.
        fake.ExpireAccessTokens();
        fake.ResetCounters();
        var error = await Assert.ThrowsAsync<IntegrationException>(() => first.Jira(jira.Id).GetMyselfAsync());
        Assert.Equal("integration_lock_unavailable", error.ErrorCode);
        Assert.Equal(jira.Id, error.IntegrationId);
        Assert.Equal(IntegrationProviders.Jira, error.Provider);
        Assert.Equal(0, fake.TokenEndpointCalls);

        var during = await first.Store.GetAsync(jira.Id);
        Assert.Equal(before!.Version, during!.Version);
        Assert.Equal(before.GetCredential(IntegrationCredentialKeys.RefreshToken), during.GetCredential(IntegrationCredentialKeys.RefreshToken));
        Assert.Equal(fake.CurrentRefreshToken(fake.ConsentingAccountId), during.GetCredential(IntegrationCredentialKeys.RefreshToken));
        Assert.Equal(IntegrationStatus.Active, during.Status);

        // Redis back: once the client has reconnected (its own signal, not a poll), the next
        // call refreshes once and works.
        var multiplexer = await first.Services.GetRequiredService<RedisConnection>().GetMultiplexerAsync();
        var reconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        multiplexer.ConnectionRestored += (_, e) =>
        {
            if (e.ConnectionType == ConnectionType.Interactive)
            {
                reconnected.TrySetResult();
            }
        };
        relay.Start();
        await Signal.WaitAsync(reconnected.Task, "the Redis client reconnecting");
        Assert.Equal(fake.ConsentingAccountId, (await first.Jira(jira.Id).GetMyselfAsync()).AccountId);
        Assert.Equal(1, fake.RefreshCalls);
        Assert.False(fake.IsGrantRevoked(fake.ConsentingAccountId));
    }
}
