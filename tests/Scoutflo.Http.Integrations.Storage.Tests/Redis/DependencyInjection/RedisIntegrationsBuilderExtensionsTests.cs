using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Scoutflo.Http.Integrations.Redis.Internal;
using StackExchange.Redis;

namespace Scoutflo.Http.Integrations.Storage.Tests.Redis.DependencyInjection;

public sealed class RedisIntegrationsBuilderExtensionsTests
{
    [Fact]
    public async Task UseRedis_OperationTimeout_ReachesTheConnectionAndTheClientTimeouts()
    {
        var services = new ServiceCollection();
        services.AddScoutfloIntegrations().UseRedis(o =>
        {
            o.Configuration = "127.0.0.1:1";
            o.OperationTimeout = TimeSpan.FromMilliseconds(1500);
        });
        await using var provider = services.BuildServiceProvider();

        var connection = provider.GetRequiredService<RedisConnection>();

        Assert.Equal(TimeSpan.FromMilliseconds(1500), connection.OperationTimeout);
        Assert.Equal(1500, connection.Configuration!.ConnectTimeout);
        Assert.Equal(1500, connection.Configuration.AsyncTimeout);
        Assert.Equal(1500, connection.Configuration.SyncTimeout);
    }

    [Fact]
    public async Task UseRedis_TimeoutsInTheConfigurationString_WinAndTheDefaultBoundIsThreeSeconds()
    {
        var services = new ServiceCollection();
        services.AddScoutfloIntegrations().UseRedis("127.0.0.1:1,connectTimeout=200,asyncTimeout=300");
        await using var provider = services.BuildServiceProvider();

        var connection = provider.GetRequiredService<RedisConnection>();

        Assert.Equal(TimeSpan.FromSeconds(3), connection.OperationTimeout);
        Assert.Equal(200, connection.Configuration!.ConnectTimeout);
        Assert.Equal(300, connection.Configuration.AsyncTimeout);
        Assert.Equal(3000, connection.Configuration.SyncTimeout);
    }

    [Fact]
    public async Task UseRedis_MultiplexerOfTheApplication_IsBoundedWithoutChangingIt()
    {
        await using var multiplexer = await ConnectionMultiplexer.ConnectAsync(TestServers.RedisOptions());
        var services = new ServiceCollection();
        services.AddSingleton<IConnectionMultiplexer>(multiplexer);
        services.AddScoutfloIntegrations().UseRedis(o => o.OperationTimeout = TimeSpan.FromSeconds(2));
        await using var provider = services.BuildServiceProvider();

        var connection = provider.GetRequiredService<RedisConnection>();

        Assert.Equal(TimeSpan.FromSeconds(2), connection.OperationTimeout);
        Assert.Null(connection.Configuration);
        Assert.Equal(5000, multiplexer.TimeoutMilliseconds);
    }

    [Fact]
    public async Task UseRedis_InvalidConfiguration_FailsTheHostStart()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddScoutfloIntegrations().UseRedis(o => o.Configuration = "password=s3cret");
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Configuration", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", error.Message, StringComparison.Ordinal);
    }
}
