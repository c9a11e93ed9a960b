using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using MongoDB.Driver;
using Scoutflo.Http.Integrations.Connections.Internal;
using Scoutflo.Http.Integrations.Fakes.Atlassian;

namespace Scoutflo.Http.Integrations.Storage.Tests.Scenarios;

/// <summary>
/// What one refresh sends to MongoDB itself, counted from the driver's command events (not from
/// calls on <see cref="IIntegrationStore"/>, one of which may cost several commands): the read
/// of the account's records under the lock, one bulk write of the rotated tokens to the record
/// and every sibling, and the read after the cache writes. Three, whatever the siblings.
/// </summary>
public sealed class RefreshMongoCommandsTests : IAsyncLifetime
{
    private readonly string _database = TestServers.UniqueName("scoutflo_cmds");
    private readonly string _account = $"acct-{Guid.NewGuid():N}";
    private readonly ConcurrentQueue<string> _commands = new();
    private MongoClient _client = null!;

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Refresh_AtlassianGrantWithSiblings_ThreeDocumentCommandsWhateverTheSiblings(int siblings)
    {
        using var fake = new AtlassianFake(new AtlassianFakeOptions { RefreshTokenReuseLeeway = TimeSpan.Zero });
        await using var replica = new ServiceReplica(fake, _database, TestServers.Redis, Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), services =>
        {
            // The replica's store on a client whose commands this test sees.
            services.Configure<MongoIntegrationStoreOptions>(o => (o.ConnectionString, o.DatabaseName) = (null, null));
            services.AddSingleton(_client.GetDatabase(_database));

            // One replica: nobody else to tell. Redis's invalidations forget every cached
            // connection once their subscription is in place (something may have been missed
            // before it); under load that came after the first call had cached its connection,
            // and the measured call read it again: a find that is not the refresh's.
            services.AddSingleton<IConnectionInvalidations, LocalConnectionInvalidations>();
        });
        Assert.IsType<LocalConnectionInvalidations>(replica.Services.GetRequiredService<IConnectionInvalidations>());
        var jira = await replica.InstallAsync(fake, IntegrationProviders.Jira, _account);
        foreach (var product in new[] { IntegrationProviders.Confluence, IntegrationProviders.Jsm }.Take(siblings))
        {
            await replica.InstallAsync(fake, product, _account);
        }

        await replica.CallAsync(jira);
        fake.ExpireAccessTokens();
        var refreshesBefore = fake.RefreshCalls;
        _commands.Clear();

        await replica.CallAsync(jira);

        Assert.Equal(refreshesBefore + 1, fake.RefreshCalls);
        Assert.Equal(["find", "update", "find"], _commands);
        foreach (var record in await replica.Store.FindByAccountAsync(_account))
        {
            Assert.Equal(fake.CurrentRefreshToken(fake.ConsentingAccountId), record.GetCredential(IntegrationCredentialKeys.RefreshToken));
        }
    }

    public Task InitializeAsync()
    {
        _client = TestServers.CreateMongoClient(_commands);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _client.DropDatabaseAsync(_database);
        _client.Dispose();
    }
}
