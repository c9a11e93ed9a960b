using Microsoft.Extensions.Time.Testing;

namespace Scoutflo.Http.Integrations.Storage.Tests.Contracts;

/// <summary>
/// What every <see cref="IOneTimeStore"/> does (OAuth state, site-selection handles): the
/// first add wins, a peek leaves the value, a take returns it once, and of any number of
/// concurrent takers exactly one gets it. Each implementation runs it through a subclass (in
/// memory, Redis on one server and on a cluster); lifetimes on the server and outages are
/// tested beside each implementation.
/// </summary>
public abstract class OneTimeStoreContractTests
{
    /// <summary>The clock every store of the test is built with; it never moves here.</summary>
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    /// <summary>A store of the implementation under test, on <see cref="Time"/>.</summary>
    protected abstract IOneTimeStore CreateStore();

    /// <summary>A key nobody else uses.</summary>
    protected virtual string NewKey(string suffix) => $"integration:oauth:{Guid.NewGuid():N}:{suffix}";

    [Fact]
    public async Task TryAddAsync_NewKey_StoresTheValue()
    {
        var store = CreateStore();
        var key = NewKey("oauth_state");

        var added = await store.TryAddAsync(key, "state-payload", TimeSpan.FromMinutes(10));

        Assert.True(added);
        Assert.Equal("state-payload", await store.PeekAsync(key));
    }

    [Fact]
    public async Task TryAddAsync_ExistingKey_ReturnsFalseAndKeepsTheFirstValue()
    {
        var store = CreateStore();
        var key = NewKey("oauth_state");
        await store.TryAddAsync(key, "first", TimeSpan.FromMinutes(1));

        var added = await store.TryAddAsync(key, "second", TimeSpan.FromMinutes(1));

        Assert.False(added);
        Assert.Equal("first", await store.PeekAsync(key));
    }

    [Fact]
    public async Task PeekAsync_StoredValue_ReturnsItWithoutTakingIt()
    {
        var store = CreateStore();
        var key = NewKey("site_selection");
        await store.TryAddAsync(key, "handle", TimeSpan.FromMinutes(1));

        Assert.Equal("handle", await store.PeekAsync(key));
        Assert.Equal("handle", await store.PeekAsync(key));
        Assert.Equal("handle", await store.TakeAsync(key));
    }

    [Fact]
    public async Task PeekAndTakeAsync_MissingKey_ReturnNull()
    {
        var store = CreateStore();

        Assert.Null(await store.PeekAsync(NewKey("site_selection")));
        Assert.Null(await store.TakeAsync(NewKey("oauth_state")));
    }

    [Fact]
    public async Task TakeAsync_StoredValue_ReturnsItOnce()
    {
        var store = CreateStore();
        var key = NewKey("oauth_state");
        await store.TryAddAsync(key, "nonce", TimeSpan.FromMinutes(1));

        var first = await store.TakeAsync(key);
        var second = await store.TakeAsync(key);

        Assert.Equal("nonce", first);
        Assert.Null(second);
        Assert.Null(await store.PeekAsync(key));
    }

    [Fact]
    public async Task TryAddAsync_AfterTheValueWasTaken_AddsAgain()
    {
        var store = CreateStore();
        var key = NewKey("oauth_state");
        await store.TryAddAsync(key, "first", TimeSpan.FromMinutes(1));
        await store.TakeAsync(key);

        Assert.True(await store.TryAddAsync(key, "second", TimeSpan.FromMinutes(1)));
        Assert.Equal("second", await store.TakeAsync(key));
    }

    [Fact]
    public async Task TakeAsync_TwentyConcurrentTakers_ExactlyOneGetsTheValue()
    {
        var store = CreateStore();
        var key = NewKey("oauth_state");
        await store.TryAddAsync(key, "replayable?", TimeSpan.FromMinutes(1));
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var takers = Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            return await store.TakeAsync(key);
        })).ToList();
        start.SetResult();
        var results = await Task.WhenAll(takers);

        Assert.Equal("replayable?", Assert.Single(results, r => r is not null));
    }

    [Fact]
    public async Task TryAddAsync_TwentyConcurrentAdders_ExactlyOneWins()
    {
        var store = CreateStore();
        var key = NewKey("oauth_state");
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var adders = Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            await start.Task;
            return await store.TryAddAsync(key, $"adder-{i}", TimeSpan.FromMinutes(1)) ? $"adder-{i}" : null;
        })).ToList();
        start.SetResult();
        var results = await Task.WhenAll(adders);

        var winner = Assert.Single(results, r => r is not null);
        Assert.Equal(winner, await store.PeekAsync(key));
    }
}
