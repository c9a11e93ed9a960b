using Microsoft.Extensions.Diagnostics.HealthChecks;
using Scoutflo.Http.Integrations;
using Scoutflo.Http.Integrations.DependencyInjection.Internal;
using Scoutflo.Http.Integrations.Redis.Internal;
using StackExchange.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Replaces the in-memory token cache, refresh lock and one-time OAuth state with Redis,
/// shared by every process of the consuming service (and by the TypeScript SDK), under the
/// key names the SDK uses; connection changes reach every process over Redis pub/sub.
/// </summary>
public static class RedisIntegrationsBuilderExtensions
{
    /// <summary>The configuration section <see cref="UseRedis(IIntegrationsBuilder, IConfiguration)"/> expects: <c>Redis</c>.</summary>
    public const string RedisConfigurationSectionName = "Redis";

    /// <summary>
    /// Keeps access tokens, refresh locks and one-time OAuth state in Redis instead of memory,
    /// under the key names the TypeScript SDK uses. Without a configuration string in
    /// <see cref="RedisIntegrationsOptions"/>, the <c>IConnectionMultiplexer</c> registered in
    /// the service collection is used; otherwise the library connects on first use. During an
    /// outage the token cache answers misses, while the refresh lock and the one-time store
    /// throw an <see cref="IntegrationException"/> (<c>integration_lock_unavailable</c>,
    /// <c>integration_state_store_unavailable</c>). Every process subscribes to connection
    /// changes (<see cref="IConnectionInvalidations"/>), and with the library's health checks
    /// (<c>AddScoutfloIntegrationsChecks</c>) the cache check pings Redis. A shared one-time
    /// store needs <c>ScoutfloIntegrations:StateSigningKey</c>: the host fails to start without it.
    /// </summary>
    /// <param name="builder">The integrations builder.</param>
    /// <returns>The same builder.</returns>
    public static IIntegrationsBuilder UseRedis(this IIntegrationsBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        OptionsRegistration.AddValidated<RedisIntegrationsOptions, RedisIntegrationsOptionsAttributeValidator, RedisIntegrationsOptionsValidator>(services);
        services.TryAddSingleton(CreateRedisConnection);
        services.RemoveAll<ITokenCache>();
        services.RemoveAll<IDistributedLock>();
        services.RemoveAll<IOneTimeStore>();
        services.AddSingleton<ITokenCache, RedisTokenCache>();
        services.AddSingleton<IDistributedLock, RedisDistributedLock>();
        services.AddSingleton<IOneTimeStore, RedisOneTimeStore>();
        services.RemoveAll<IConnectionInvalidations>();
        services.AddSingleton<IConnectionInvalidations, RedisConnectionInvalidations>();

        // Encryption at rest turned on before this call wraps the new cache and one-time store too.
        builder.ApplyCredentialEncryption();

        // Used only when the application adds the library's health checks; the connection is
        // resolved when the check runs, so one that cannot be built reports unhealthy.
        services.TryAddKeyedSingleton<IHealthCheck>(ScoutfloIntegrationsHealthChecksBuilderExtensions.CacheCheckName,
            static (sp, _) => new RedisHealthCheck(sp.GetRequiredService<RedisConnection>));
        return builder;
    }

    /// <summary>Keeps tokens, locks and one-time state in the Redis server a configuration string names.</summary>
    /// <param name="builder">The integrations builder.</param>
    /// <param name="configuration">A StackExchange.Redis configuration string (<c>host:port,password=...</c>); never logged.</param>
    /// <returns>The same builder.</returns>
    public static IIntegrationsBuilder UseRedis(this IIntegrationsBuilder builder, string configuration)
    {
        ArgumentException.ThrowIfNullOrEmpty(configuration);
        return builder.UseRedis(o => o.Configuration = configuration);
    }

    /// <summary>Keeps tokens, locks and one-time state in Redis, configured in code.</summary>
    /// <param name="builder">The integrations builder.</param>
    /// <param name="configure">Configures <see cref="RedisIntegrationsOptions"/>.</param>
    /// <returns>The same builder.</returns>
    public static IIntegrationsBuilder UseRedis(this IIntegrationsBuilder builder, Action<RedisIntegrationsOptions> configure) =>
        OptionsRegistration.Configure(builder, configure, UseRedis);

    /// <summary>Keeps tokens, locks and one-time state in Redis, bound from configuration.</summary>
    /// <param name="builder">The integrations builder.</param>
    /// <param name="configuration">The <c>Redis</c> section (or the root holding it).</param>
    /// <returns>The same builder.</returns>
    public static IIntegrationsBuilder UseRedis(this IIntegrationsBuilder builder, IConfiguration configuration) =>
        OptionsRegistration.Bind<RedisIntegrationsOptions>(builder, configuration, RedisConfigurationSectionName, UseRedis);

    private static RedisConnection CreateRedisConnection(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<RedisIntegrationsOptions>>().Value;
        var timeProvider = services.GetService<TimeProvider>() ?? TimeProvider.System;
        var configuration = options.Configuration;
        if (!string.IsNullOrWhiteSpace(configuration))
        {
            var parsed = ConfigurationOptions.Parse(configuration);

            // StackExchange.Redis waits 5 s per connect and per command by default; the library
            // bounds each operation anyway, and the client's own limits follow that bound unless
            // the configuration string chose its own.
            var milliseconds = (int)Math.Ceiling(options.OperationTimeout.TotalMilliseconds);
            if (!NamesOption(configuration, "connectTimeout"))
            {
                parsed.ConnectTimeout = milliseconds;
            }

            if (!NamesOption(configuration, "asyncTimeout"))
            {
                parsed.AsyncTimeout = milliseconds;
            }

            if (!NamesOption(configuration, "syncTimeout"))
            {
                parsed.SyncTimeout = milliseconds;
            }

            return new RedisConnection(parsed, options.OperationTimeout, timeProvider);
        }

        var multiplexer = services.GetService<IConnectionMultiplexer>()
            ?? throw new InvalidOperationException(
                "UseRedis() found no IConnectionMultiplexer in the service collection. Register one, or set RedisIntegrationsOptions.Configuration (UseRedis(configuration)).");
        return new RedisConnection(multiplexer, options.OperationTimeout, timeProvider);
    }

    private static bool NamesOption(string configuration, string option) =>
        configuration.Split(',').Any(part => part.Trim().StartsWith(option + "=", StringComparison.OrdinalIgnoreCase));
}
