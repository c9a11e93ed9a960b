using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Scoutflo.Http.Integrations.Connections.Internal;
using Scoutflo.Http.Integrations.Tests.TestSupport;

namespace Scoutflo.Http.Integrations.Tests.Connections;

public sealed class ResolvedConnectionCacheTests
{
    [Fact]
    public async Task Resolve_MoreConnectionsThanTheLimit_HoldsAtMostTheLimitAndKeepsTheNewest()
    {
        await using var host = TestHost.Create(s => s.Configure<ScoutfloIntegrationsOptions>(o => o.ConnectionCacheSizeLimit = 50));
        var ids = new List<string>();
        for (var i = 0; i < 200; i++)
        {
            ids.Add(await host.AddAsync(Records.CustomApiKey()));
        }

        foreach (var id in ids)
        {
            await host.Connections.ResolveConnectionAsync(id);
        }

        var cache = host.Services.GetRequiredService<ResolvedConnectionCache>();
        Assert.InRange(cache.Count, 45, 50);
        Assert.True(cache.TryGet(ids[^1], out _));
        Assert.False(cache.TryGet(ids[0], out _));
    }

    [Fact]
    public async Task Resolve_AfterTheCacheDuration_ExpiredConnectionsAreRemovedNotOnlyHidden()
    {
        await using var host = TestHost.Create();
        var ids = new List<string>();
        for (var i = 0; i < 100; i++)
        {
            ids.Add(await host.AddAsync(Records.CustomApiKey()));
            await host.Connections.ResolveConnectionAsync(ids[^1]);
        }

        var cache = host.Services.GetRequiredService<ResolvedConnectionCache>();
        Assert.Equal(100, cache.Count);

        host.Time.Advance(TimeSpan.FromMinutes(5)); // the default ConnectionCacheDuration
        var fresh = await host.AddAsync(Records.CustomApiKey());
        await host.Connections.ResolveConnectionAsync(fresh);

        Assert.Equal(1, cache.Count);
        Assert.True(cache.TryGet(fresh, out _));
    }

    [Theory]
    [InlineData(nameof(ScoutfloIntegrationsOptions.ConnectionCacheSizeLimit))]
    [InlineData(nameof(ScoutfloIntegrationsOptions.TokenCacheSizeLimit))]
    public void AddScoutfloIntegrations_SizeLimitBelowOne_FailsValidation(string option)
    {
        var services = new ServiceCollection();
        services.AddScoutfloIntegrations(o =>
        {
            o.ConnectionCacheSizeLimit = option == nameof(ScoutfloIntegrationsOptions.ConnectionCacheSizeLimit) ? 0 : 10;
            o.TokenCacheSizeLimit = option == nameof(ScoutfloIntegrationsOptions.TokenCacheSizeLimit) ? 0 : 10;
        });
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ScoutfloIntegrationsOptions>>().Value);

        Assert.Contains(option, error.Message, StringComparison.Ordinal);
    }
}
