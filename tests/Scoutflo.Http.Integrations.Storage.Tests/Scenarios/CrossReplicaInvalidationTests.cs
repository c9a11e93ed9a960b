using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using MongoDB.Driver;
using Scoutflo.Http.Integrations.Connections.Internal;
using Scoutflo.Http.Integrations.Fakes.Atlassian;
using Scoutflo.Http.Integrations.Redis.Internal;
using Scoutflo.Http.Integrations.TestSupport;
using Xunit.Abstractions;

namespace Scoutflo.Http.Integrations.Storage.Tests.Scenarios;

/// <summary>
/// Replicas sharing MongoDB and Redis: a change made in one is applied in the others through
/// the Redis announcement, not when their cached resolution expires. The clocks never move, so
/// expiry cannot be what makes the other replica see the change.
/// </summary>
public abstract class CrossReplicaInvalidationTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int InvalidatedElsewhereEvent = 3040;

    private readonly string _database = TestServers.UniqueName("scoutflo_inval");
    private readonly string _signingKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private readonly string _account = $"acct-{Guid.NewGuid():N}";

    [Fact]
    public async Task DeleteInOneReplica_TheOtherRefusesAtOnce_ByTheAnnouncementNotByTime()
    {
        using var fake = new AtlassianFake();
        var otherTime = new TestClock();
        var heard = new EventSignal(InvalidatedElsewhereEvent);
        await using var one = new ServiceReplica(fake, _database, Redis, _signingKey, timeProvider: new TestClock());
        await using var other = new ServiceReplica(fake, _database, Redis, _signingKey, timeProvider: otherTime, logs: heard);
        var jira = await one.InstallAsync(fake, IntegrationProviders.Jira, _account);
        await other.Jira(jira.Id).GetMyselfAsync(); // starts its subscription (which forgets all once in place)
        await Signal.WaitAsync(Listening(other), "the other replica's subscription");
        await other.Jira(jira.Id).GetMyselfAsync(); // resolved and cached there, with its token

        Assert.True(await one.Connections.DeleteConnectionAsync(jira.Id));
        await Signal.WaitAsync(heard.Logged(jira.Id), "the other replica applying the delete");

        await Assert.ThrowsAsync<IntegrationNotFoundException>(() => other.Jira(jira.Id).GetMyselfAsync());
        Assert.Equal(TestClock.DefaultStart, otherTime.GetUtcNow());
    }

    [Fact]
    public async Task DisableInOneReplica_TheOtherRefusesAtOnce_ByTheAnnouncementNotByTime()
    {
        using var fake = new AtlassianFake();
        var otherTime = new TestClock();
        var heard = new EventSignal(InvalidatedElsewhereEvent);
        await using var one = new ServiceReplica(fake, _database, Redis, _signingKey, timeProvider: new TestClock());
        await using var other = new ServiceReplica(fake, _database, Redis, _signingKey, timeProvider: otherTime, logs: heard);
        var jira = await one.InstallAsync(fake, IntegrationProviders.Jira, _account);
        await other.Jira(jira.Id).GetMyselfAsync();
        await Signal.WaitAsync(Listening(other), "the other replica's subscription");
        await other.Jira(jira.Id).GetMyselfAsync();

        var record = (await one.Connections.GetConnectionAsync(jira.Id))!;
        await one.Connections.UpdateConnectionAsync(record with { Status = IntegrationStatus.Disabled }, record.Version);
        await Signal.WaitAsync(heard.Logged(jira.Id), "the other replica applying the change");

        var error = await Assert.ThrowsAsync<IntegrationException>(() => other.Jira(jira.Id).GetMyselfAsync());
        Assert.Equal(IntegrationErrorCodes.Disabled, error.ErrorCode);
        Assert.Equal(TestClock.DefaultStart, otherTime.GetUtcNow());
    }

    /// <summary>
    /// A measurement, not a timing assertion: four replicas on the real clock, a delete in the
    /// first, the time until each of the three others refuses the connection. Printed with
    /// <c>--logger "console;verbosity=detailed"</c>.
    /// </summary>
    [Fact]
    public async Task Propagation_FourReplicas_EveryOtherReplicaRefusesAfterADelete()
    {
        using var fake = new AtlassianFake();
        var signals = Enumerable.Range(0, 4).Select(_ => new EventSignal(InvalidatedElsewhereEvent)).ToList();
        var replicas = signals.Select(s => new ServiceReplica(fake, _database, Redis, _signingKey, logs: s)).ToList();
        var samples = new List<double>();
        try
        {
            for (var round = 0; round < 20; round++)
            {
                var created = await replicas[0].Connections.CreateConnectionAsync(new Integration
                {
                    Provider = IntegrationProviders.Custom,
                    AccountId = _account,
                    AuthType = IntegrationAuthTypes.ApiKey,
                    Credentials = new Dictionary<string, string> { [IntegrationCredentialKeys.ApiKey] = "key" },
                    Metadata = new Dictionary<string, string> { [IntegrationMetadataKeys.BaseUrl] = "https://api.example.test" },
                });
                foreach (var replica in replicas)
                {
                    await replica.Connections.ResolveConnectionAsync(created.Id);
                    await Signal.WaitAsync(Listening(replica), "a replica's subscription");
                    await replica.Connections.ResolveConnectionAsync(created.Id);
                }

                var stopwatch = Stopwatch.StartNew();
                await replicas[0].Connections.DeleteConnectionAsync(created.Id);
                for (var i = 1; i < replicas.Count; i++)
                {
                    await Signal.WaitAsync(signals[i].Logged(created.Id), "a replica applying the delete");
                    await Assert.ThrowsAsync<IntegrationNotFoundException>(async () => await replicas[i].Connections.ResolveConnectionAsync(created.Id));
                }

                samples.Add(stopwatch.Elapsed.TotalMilliseconds);
            }
        }
        finally
        {
            foreach (var replica in replicas)
            {
                await replica.DisposeAsync();
            }
        }

        samples.Sort();
        output.WriteLine($"propagation to 3 other replicas over {samples.Count} deletes: median {samples[samples.Count / 2]:F2} ms, max {samples[^1]:F2} ms");
        Assert.Equal(20, samples.Count);
    }

    /// <summary>The configuration string of the Redis every replica shares.</summary>
    protected abstract string Redis { get; }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        using var client = TestServers.CreateMongoClient();
        await client.DropDatabaseAsync(_database);
    }

    private static Task Listening(ServiceReplica replica) =>
        Assert.IsType<RedisConnectionInvalidations>(replica.Services.GetRequiredService<IConnectionInvalidations>()).Listening;
}

public sealed class CrossReplicaInvalidationOnOneServerTests(ITestOutputHelper output) : CrossReplicaInvalidationTests(output)
{
    protected override string Redis => TestServers.Redis;
}

/// <summary>In a cluster the replicas' subscriptions sit on different nodes: classic PUBLISH reaches them all.</summary>
public sealed class CrossReplicaInvalidationOnClusterTests(ITestOutputHelper output) : CrossReplicaInvalidationTests(output)
{
    protected override string Redis => TestServers.RedisCluster;
}
