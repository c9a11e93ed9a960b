using Microsoft.Extensions.DependencyInjection;
using Scoutflo.Http.Integrations.Tests.TestSupport;

namespace Scoutflo.Http.Integrations.Tests.Connections;

/// <summary>
/// <see cref="IConnectionInvalidations"/> is the public hook a storage package (UseRedis, or a
/// third party's) plugs a shared backend into: the library announces its own changes through
/// it and forgets a resolved connection when another process's announcement arrives.
/// </summary>
public sealed class ConnectionInvalidationsTests
{
    [Fact]
    public async Task DeleteConnectionAsync_ImplementationOfTheApplication_IsToldTheId()
    {
        var invalidations = new RecordingInvalidations();
        await using var host = TestHost.Create(s => s.AddSingleton<IConnectionInvalidations>(invalidations));
        var id = await host.AddAsync(Records.CustomApiKey());
        await host.Connections.ResolveConnectionAsync(id);

        await host.Connections.DeleteConnectionAsync(id);

        Assert.Contains(id, invalidations.Published);
    }

    [Fact]
    public async Task AnnouncementFromAnotherProcess_ResolvedConnection_IsReadAgainFromTheStore()
    {
        var invalidations = new RecordingInvalidations();
        await using var host = TestHost.Create(s => s.AddSingleton<IConnectionInvalidations>(invalidations));
        var id = await host.AddAsync(Records.CustomApiKey(baseUrl: "https://before.example.test"));
        Assert.Equal("before.example.test", (await host.Connections.ResolveConnectionAsync(id)).BaseAddress.Host);

        // Another process changed the record: the store has it, this process's copy does not.
        var store = host.Services.GetRequiredService<IIntegrationStore>();
        var record = (await store.GetAsync(id))!;
        await store.UpdateAsync(record with { Metadata = new Dictionary<string, string>(record.Metadata) { [IntegrationMetadataKeys.BaseUrl] = "https://after.example.test" } }, record.Version);
        Assert.Equal("before.example.test", (await host.Connections.ResolveConnectionAsync(id)).BaseAddress.Host);

        invalidations.Announce(id);

        Assert.Equal("after.example.test", (await host.Connections.ResolveConnectionAsync(id)).BaseAddress.Host);
    }

    [Fact]
    public async Task AnnouncementThatSomeWereMissed_EveryResolvedConnection_IsReadAgain()
    {
        var invalidations = new RecordingInvalidations();
        await using var host = TestHost.Create(s => s.AddSingleton<IConnectionInvalidations>(invalidations));
        var id = await host.AddAsync(Records.CustomApiKey(baseUrl: "https://before.example.test"));
        await host.Connections.ResolveConnectionAsync(id);
        var store = host.Services.GetRequiredService<IIntegrationStore>();
        var record = (await store.GetAsync(id))!;
        await store.UpdateAsync(record with { Metadata = new Dictionary<string, string>(record.Metadata) { [IntegrationMetadataKeys.BaseUrl] = "https://after.example.test" } }, record.Version);

        invalidations.Announce(null);

        Assert.Equal("after.example.test", (await host.Connections.ResolveConnectionAsync(id)).BaseAddress.Host);
    }

    private sealed class RecordingInvalidations : IConnectionInvalidations
    {
        private Action<string?>? _onInvalidated;

        public List<string> Published { get; } = [];

        public void Publish(string integrationId) => Published.Add(integrationId);

        public void Subscribe(Action<string?> onInvalidated) => _onInvalidated = onInvalidated;

        public void Announce(string? integrationId) =>
            (_onInvalidated ?? throw new InvalidOperationException("The library never subscribed."))(integrationId);
    }
}
