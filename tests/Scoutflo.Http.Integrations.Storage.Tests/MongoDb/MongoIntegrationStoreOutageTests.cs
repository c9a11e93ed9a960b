using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MongoDB.Bson;
using MongoDB.Driver;
using Scoutflo.Http.Integrations.MongoDb.Internal;
using Scoutflo.Http.Integrations.TestSupport;

namespace Scoutflo.Http.Integrations.Storage.Tests.MongoDb;

/// <summary>
/// MongoDB that cannot be reached: every store operation, and every public entry point above
/// it, fails with <c>integration_store_unavailable</c> carrying the driver's error, within a
/// bound the application sets. No test here measures wall-clock time: the driver's own
/// server-selection time-out is configured short, or the per-operation bound runs on a
/// FakeTimeProvider that the test advances (xunit's Timeout is only a safety net).
/// </summary>
public sealed class MongoIntegrationStoreOutageTests
{
    private const string Password = "s3cret-mongo-pw";

    [Fact(Timeout = 30_000)]
    public async Task EveryOperation_ServerUnreachable_ThrowsStoreUnavailableWithTheDriverErrorInside()
    {
        var port = LoopbackPorts.Unused();
        using var client = new MongoClient($"mongodb://scout:{Password}@127.0.0.1:{port}/?directConnection=true&serverSelectionTimeoutMS=200&connectTimeoutMS=200");
        var collection = client.GetDatabase("outage_db").GetCollection<BsonDocument>("integrations");
        var store = new MongoIntegrationStore(collection, TimeProvider.System, NullLogger<MongoIntegrationStore>.Instance);
        var id = ObjectId.GenerateNewId().ToString();
        var record = new Integration { Id = id, Provider = "custom", AccountId = "acct-1", AuthType = "api_key", Version = 1 };

        Func<Task>[] operations =
        [
            () => store.GetAsync(id),
            () => store.FindByAccountAsync("acct-1"),
            () => store.InsertAsync(record with { Id = string.Empty }),
            () => store.InsertAsync(record),
            () => store.UpdateAsync(record, 1),
            () => store.DeleteAsync(id),
            () => store.FindStaleOAuthAsync(DateTimeOffset.UnixEpoch, 10),
        ];

        foreach (var operation in operations)
        {
            var error = await Assert.ThrowsAsync<IntegrationException>(operation);
            Assert.Equal(IntegrationErrorCodes.StoreUnavailable, error.ErrorCode);

            // The driver's own server-selection time-out, as it threw it.
            var inner = Assert.IsType<TimeoutException>(error.InnerException);
            Assert.Contains("selecting a server", inner.Message, StringComparison.Ordinal);

            // The store is named (collection and host), its password never.
            Assert.Contains("outage_db.integrations", error.Message, StringComparison.Ordinal);
            Assert.Contains($"127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(Password, error.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task GetAsync_ClientOfTheApplicationWithLongTimeouts_IsCutOffByTheOperationTimeout()
    {
        // A client the application built, with the driver's 30 s server selection: the library
        // does not change its settings, it bounds each operation instead.
        using var silent = new SilentServer();
        using var client = new MongoClient($"mongodb://127.0.0.1:{silent.Port}/?directConnection=true");
        var collection = client.GetDatabase("outage_db").GetCollection<BsonDocument>("integrations");
        var time = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var store = new MongoIntegrationStore(collection, time, NullLogger<MongoIntegrationStore>.Instance, operationTimeout: TimeSpan.FromSeconds(2));

        var pending = store.GetAsync(ObjectId.GenerateNewId().ToString());
        Assert.False(pending.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(2));

        var error = await Assert.ThrowsAsync<IntegrationException>(() => pending);
        Assert.Equal(IntegrationErrorCodes.StoreUnavailable, error.ErrorCode);
        Assert.IsAssignableFrom<OperationCanceledException>(error.InnerException);
        Assert.Contains("2 s", error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(MongoIntegrationStoreOptions.OperationTimeout), error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task GetAsync_CallerCancels_ThrowsOperationCanceledNotStoreUnavailable()
    {
        using var silent = new SilentServer();
        using var client = new MongoClient($"mongodb://127.0.0.1:{silent.Port}/?directConnection=true");
        var store = new MongoIntegrationStore(client.GetDatabase("outage_db").GetCollection<BsonDocument>("integrations"),
            new FakeTimeProvider(), NullLogger<MongoIntegrationStore>.Instance);
        using var cancellation = new CancellationTokenSource();

        var pending = store.GetAsync(ObjectId.GenerateNewId().ToString(), cancellation.Token);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
    }

    [Fact]
    public async Task UseMongoDb_Timeouts_ReachTheDriverSettingsAndTheStore()
    {
        var services = new ServiceCollection();
        services.AddScoutfloIntegrations().UseMongoDb(o =>
        {
            o.ConnectionString = "mongodb://127.0.0.1:1/?directConnection=true";
            o.DatabaseName = "bounds";
            o.ServerSelectionTimeout = TimeSpan.FromMilliseconds(1500);
            o.OperationTimeout = TimeSpan.FromMilliseconds(2500);
        });
        await using var provider = services.BuildServiceProvider();

        var collection = provider.GetRequiredService<MongoIntegrationCollection>().Collection;
        var store = Assert.IsType<MongoIntegrationStore>(provider.GetRequiredService<IIntegrationStore>());

        Assert.Equal(TimeSpan.FromMilliseconds(1500), collection.Database.Client.Settings.ServerSelectionTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(2500), store.OperationTimeout);
    }

    [Fact]
    public async Task UseMongoDb_ConnectionStringNamesItsOwnServerSelectionTimeout_TheStringWins()
    {
        var services = new ServiceCollection();
        services.AddScoutfloIntegrations().UseMongoDb("mongodb://127.0.0.1:1/?directConnection=true&serverSelectionTimeoutMS=700", "bounds");
        await using var provider = services.BuildServiceProvider();

        var collection = provider.GetRequiredService<MongoIntegrationCollection>().Collection;

        Assert.Equal(TimeSpan.FromMilliseconds(700), collection.Database.Client.Settings.ServerSelectionTimeout);
    }

    [Fact]
    public async Task UseMongoDb_Defaults_AreAFewSeconds()
    {
        var services = new ServiceCollection();
        services.AddScoutfloIntegrations().UseMongoDb("mongodb://127.0.0.1:1/?directConnection=true", "bounds");
        await using var provider = services.BuildServiceProvider();

        var collection = provider.GetRequiredService<MongoIntegrationCollection>().Collection;
        var store = Assert.IsType<MongoIntegrationStore>(provider.GetRequiredService<IIntegrationStore>());

        // Not the driver's 30 s (which cost 60 s a call before: the index creation, then the query).
        Assert.Equal(TimeSpan.FromSeconds(3), collection.Database.Client.Settings.ServerSelectionTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), store.OperationTimeout);
    }

    [Fact(Timeout = 30_000)]
    public async Task PublicEntryPoints_MongoUnreachable_FailWithStoreUnavailable()
    {
        var services = new ServiceCollection();
        services.AddScoutfloIntegrations(o => o.StateSigningKey = Convert.ToBase64String(new byte[32]))
            .AddAtlassian(o =>
            {
                o.ClientId = "client";
                o.ClientSecret = "secret";
                o.RedirectUri = new Uri("https://app.example/callback");
            })
            .UseMongoDb(o =>
            {
                o.ConnectionString = $"mongodb://scout:{Password}@127.0.0.1:{LoopbackPorts.Unused()}/?directConnection=true";
                o.DatabaseName = "outage_db";
                o.ServerSelectionTimeout = TimeSpan.FromMilliseconds(200);
            });
        const string integrationId = "6b0c073acb0bb2e205c2c31c";
        services.AddHttpClient("outage").AddIntegrationAuth(integrationId);
        await using var provider = services.BuildServiceProvider();
        var connections = provider.GetRequiredService<IConnectionManager>();
        var install = provider.GetRequiredService<IntegrationInstallService>();
        var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient("outage");

        List<IntegrationException> errors =
        [
            await Assert.ThrowsAsync<IntegrationException>(async () => await connections.ResolveConnectionAsync(integrationId)),
            await Assert.ThrowsAsync<IntegrationException>(() => connections.GetConnectionAsync(integrationId)),
            await Assert.ThrowsAsync<IntegrationException>(() => connections.ListConnectionsAsync("acct-1")),
            await Assert.ThrowsAsync<IntegrationException>(() => connections.DeleteConnectionAsync(integrationId)),
            await Assert.ThrowsAsync<IntegrationException>(() => install.BuildInstallUrlAsync(new InstallRequest { Provider = "jira", AccountId = "acct-1" })),
            await Assert.ThrowsAsync<IntegrationException>(() => client.GetAsync(new Uri("https://api.atlassian.com/ex/jira/c/rest/api/3/myself"))),
        ];

        Assert.All(errors, e =>
        {
            Assert.Equal(IntegrationErrorCodes.StoreUnavailable, e.ErrorCode);
            Assert.IsType<TimeoutException>(e.InnerException);
            Assert.DoesNotContain(Password, e.ToString(), StringComparison.Ordinal);
        });
    }

    /// <summary>A port that accepts connections (the kernel's backlog) and never answers a byte.</summary>
    private sealed class SilentServer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

        public SilentServer() => _listener.Start();

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public void Dispose() => _listener.Stop();
    }
}
