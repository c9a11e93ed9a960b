using Microsoft.Extensions.Options;
using Scoutflo.Http.Integrations.Storage.InMemory;
using Scoutflo.Http.Integrations.TestSupport;

namespace Scoutflo.Http.Integrations.Tests.Storage.InMemory;

public sealed class InMemoryTokenCacheTests
{
    private readonly TestClock _time = new();

    [Fact]
    public async Task SetAsync_MoreTokensThanTheLimit_HoldsAtMostTheLimitAndKeepsTheLatest()
    {
        var cache = NewCache(sizeLimit: 10);

        for (var i = 0; i < 100; i++)
        {
            await cache.SetAsync($"key-{i}", $"token-{i}", TimeSpan.FromHours(1));
        }

        Assert.InRange(cache.Count, 9, 10);
        Assert.Equal("token-99", (await cache.GetAsync("key-99"))?.Token);
        Assert.Null(await cache.GetAsync("key-0"));
    }

    [Fact]
    public async Task SetAsync_TokensSoonerToExpire_AreEvictedFirst()
    {
        var cache = NewCache(sizeLimit: 10);
        await cache.SetAsync("long-lived", "kept", TimeSpan.FromHours(8));
        for (var i = 0; i < 20; i++)
        {
            await cache.SetAsync($"key-{i}", $"token-{i}", TimeSpan.FromHours(1));
        }

        Assert.Equal("kept", (await cache.GetAsync("long-lived"))?.Token);
    }

    [Fact]
    public async Task Expired_TokensAreRemovedNotOnlyHidden()
    {
        var cache = NewCache(sizeLimit: 1000);
        for (var i = 0; i < 100; i++)
        {
            await cache.SetAsync($"key-{i}", $"token-{i}", TimeSpan.FromMinutes(1));
        }

        Assert.Equal(100, cache.Count);
        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.Null(await cache.GetAsync("key-0"));
        Assert.Equal(99, cache.Count); // a read removes what it finds expired
        await cache.SetAsync("fresh", "token", TimeSpan.FromMinutes(1)); // an add sweeps the rest

        Assert.Equal(1, cache.Count);
        Assert.Equal("token", (await cache.GetAsync("fresh"))?.Token);
    }

    [Fact]
    public async Task RemoveIfAsync_OnlyTheGivenToken_IsRemoved()
    {
        var cache = NewCache(sizeLimit: 10);
        await cache.SetAsync("key", "newer", TimeSpan.FromHours(1));

        Assert.False(await cache.RemoveIfAsync("key", "older"));
        Assert.True(await cache.RemoveIfAsync("key", "newer"));
        Assert.Equal(0, cache.Count);
    }

    private InMemoryTokenCache NewCache(int sizeLimit) =>
        new(_time, new StaticOptions(new ScoutfloIntegrationsOptions { TokenCacheSizeLimit = sizeLimit }));

    private sealed class StaticOptions(ScoutfloIntegrationsOptions value) : IOptionsMonitor<ScoutfloIntegrationsOptions>
    {
        public ScoutfloIntegrationsOptions CurrentValue => value;

        public ScoutfloIntegrationsOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<ScoutfloIntegrationsOptions, string?> listener) => null;
    }
}
