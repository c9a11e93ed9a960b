using Microsoft.Extensions.DependencyInjection;
using Scoutflo.Http.Integrations.Storage.InMemory;
using Scoutflo.Http.Integrations.Tests.TestSupport;

namespace Scoutflo.Http.Integrations.Tests.Connections;

/// <summary>
/// Concurrent first requests on one integration share one store read: a burst of callers on a
/// cold replica must not become a burst of reads (1,000 of them overflowed MongoDB's wait queue).
/// </summary>
public sealed class ConnectionResolutionSingleFlightTests : IAsyncDisposable
{
    private readonly TestHost _host;
    private readonly CountingIntegrationStore _store;

    public ConnectionResolutionSingleFlightTests()
    {
        _host = TestHost.Create(services =>
        {
            services.AddSingleton(sp => new CountingIntegrationStore(new InMemoryIntegrationStore(sp.GetRequiredService<TimeProvider>())));
            services.AddSingleton<IIntegrationStore>(sp => sp.GetRequiredService<CountingIntegrationStore>());
        });
        _store = _host.Services.GetRequiredService<CountingIntegrationStore>();
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task ResolveConnectionAsync_ConcurrentMisses_ShareOneStoreRead()
    {
        var id = await _host.AddAsync(Records.CustomBearer());
        _store.Hold();

        var callers = Enumerable.Range(0, 50).Select(_ => _host.Connections.ResolveConnectionAsync(id).AsTask()).ToArray();
        await _store.FirstHeldRead;
        _store.Release();
        var resolved = await Task.WhenAll(callers);

        Assert.Equal(1, _store.Gets);
        Assert.All(resolved, r => Assert.Same(resolved[0], r));
    }

    [Fact]
    public async Task ResolveConnectionAsync_InvalidatedWhileAReadIsInFlight_LaterCallersReadAgain()
    {
        var id = await _host.AddAsync(Records.CustomBearer());
        _store.Hold();

        var early = _host.Connections.ResolveConnectionAsync(id).AsTask();
        await _store.FirstHeldRead;
        _host.Connections.Invalidate(id);
        var late = _host.Connections.ResolveConnectionAsync(id).AsTask();
        _store.Release();
        await Task.WhenAll(early, late);

        // The read that began before the invalidation may be stale: the caller after it does not join it.
        Assert.Equal(2, _store.Gets);
    }

    [Fact]
    public async Task ResolveConnectionAsync_SharedReadFails_EveryCallerSeesTheFailureAndTheNextCallReadsAgain()
    {
        const string missing = "66aa00000000000000000404";
        _store.Hold();

        var callers = Enumerable.Range(0, 10).Select(_ => _host.Connections.ResolveConnectionAsync(missing).AsTask()).ToArray();
        await _store.FirstHeldRead;
        _store.Release();
        foreach (var caller in callers)
        {
            await Assert.ThrowsAsync<IntegrationNotFoundException>(() => caller);
        }

        await Assert.ThrowsAsync<IntegrationNotFoundException>(() => _host.Connections.ResolveConnectionAsync(missing).AsTask());
        Assert.Equal(2, _store.Gets);
    }

    [Fact]
    public async Task ResolveConnectionAsync_OneCallerCancels_TheOthersStillGetTheConnection()
    {
        var id = await _host.AddAsync(Records.CustomBearer());
        _store.Hold();
        using var cancel = new CancellationTokenSource();

        var cancelled = _host.Connections.ResolveConnectionAsync(id, cancel.Token).AsTask();
        await _store.FirstHeldRead;
        var other = _host.Connections.ResolveConnectionAsync(id).AsTask();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        _store.Release();

        Assert.Equal(id, (await other).IntegrationId);
        Assert.Equal(1, _store.Gets);
    }
}
