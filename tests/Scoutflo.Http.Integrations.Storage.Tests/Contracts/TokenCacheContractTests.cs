using Microsoft.Extensions.Time.Testing;

namespace Scoutflo.Http.Integrations.Storage.Tests.Contracts;

/// <summary>
/// What every <see cref="ITokenCache"/> does: a token set is read back with its expiry, a
/// non-positive lifetime stores nothing, the latest write wins, and a conditional remove takes
/// only the token it names. Each implementation runs it through a subclass (in memory, Redis
/// on one server and on a cluster); expiry on the server's clock, outages and the bounds of the
/// in-memory cache are tested beside each implementation.
/// </summary>
public abstract class TokenCacheContractTests
{
    /// <summary>The clock every cache of the test is built with; it never moves here.</summary>
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    /// <summary>A cache of the implementation under test, on <see cref="Time"/>.</summary>
    protected abstract ITokenCache CreateCache();

    /// <summary>A key in the contract format nobody else uses.</summary>
    protected virtual string NewKey() => $"integration:jira:{Guid.NewGuid().ToString("N")[..24]}:app_user:acct-1:access_token";

    [Fact]
    public async Task SetAsync_Token_IsReadBackWithItsExpiry()
    {
        var cache = CreateCache();
        var key = NewKey();

        await cache.SetAsync(key, "eyJ.access.token", TimeSpan.FromMinutes(10));
        var cached = await cache.GetAsync(key);

        Assert.NotNull(cached);
        Assert.Equal("eyJ.access.token", cached.Value.Token);
        var expected = Time.GetUtcNow() + TimeSpan.FromMinutes(10);
        Assert.InRange(cached.Value.ExpiresAt, expected - TimeSpan.FromSeconds(5), expected);
    }

    [Fact]
    public async Task GetAsync_MissingKey_ReturnsNull()
    {
        var cache = CreateCache();

        Assert.Null(await cache.GetAsync(NewKey()));
    }

    [Fact]
    public async Task SetAsync_NonPositiveTtl_StoresNothing()
    {
        var cache = CreateCache();
        var key = NewKey();

        await cache.SetAsync(key, "t", TimeSpan.Zero);
        await cache.SetAsync(key, "t", TimeSpan.FromSeconds(-1));

        Assert.Null(await cache.GetAsync(key));
    }

    [Fact]
    public async Task SetAsync_TwiceOnOneKey_TheLatestWins()
    {
        var cache = CreateCache();
        var key = NewKey();

        await cache.SetAsync(key, "older", TimeSpan.FromMinutes(1));
        await cache.SetAsync(key, "newer", TimeSpan.FromMinutes(30));
        var cached = await cache.GetAsync(key);

        Assert.Equal("newer", cached?.Token);
        Assert.True(cached!.Value.ExpiresAt > Time.GetUtcNow() + TimeSpan.FromMinutes(25));
    }

    [Fact]
    public async Task RemoveIfAsync_MatchingToken_RemovesTheEntry()
    {
        var cache = CreateCache();
        var key = NewKey();
        await cache.SetAsync(key, "refused-token", TimeSpan.FromMinutes(5));

        var removed = await cache.RemoveIfAsync(key, "refused-token");

        Assert.True(removed);
        Assert.Null(await cache.GetAsync(key));
        Assert.False(await cache.RemoveIfAsync(key, "refused-token"));
    }

    [Fact]
    public async Task RemoveIfAsync_NewerTokenCached_KeepsIt()
    {
        var cache = CreateCache();
        var key = NewKey();
        await cache.SetAsync(key, "newer-token", TimeSpan.FromMinutes(5));

        var removed = await cache.RemoveIfAsync(key, "refused-token");

        Assert.False(removed);
        Assert.Equal("newer-token", (await cache.GetAsync(key))?.Token);
    }

    [Fact]
    public async Task Keys_AreIndependent()
    {
        var cache = CreateCache();
        var first = NewKey();
        var second = NewKey();

        await cache.SetAsync(first, "token-1", TimeSpan.FromMinutes(5));
        await cache.SetAsync(second, "token-2", TimeSpan.FromMinutes(5));
        await cache.RemoveIfAsync(first, "token-1");

        Assert.Null(await cache.GetAsync(first));
        Assert.Equal("token-2", (await cache.GetAsync(second))?.Token);
    }
}
