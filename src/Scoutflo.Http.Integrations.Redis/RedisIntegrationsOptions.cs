using System.ComponentModel.DataAnnotations;

namespace Scoutflo.Http.Integrations;

/// <summary>
/// The Redis server <c>UseRedis</c> keeps access tokens, refresh locks and one-time OAuth
/// state in. Bound from the <c>Redis</c> configuration section by <c>UseRedis(IConfiguration)</c>.
/// Without a <see cref="Configuration"/>, the <c>IConnectionMultiplexer</c> registered in the
/// service collection is used.
/// </summary>
public sealed class RedisIntegrationsOptions
{
    internal static readonly TimeSpan DefaultOperationTimeout = TimeSpan.FromSeconds(3);

    /// <summary>
    /// A StackExchange.Redis configuration string (<c>host:port,password=...,ssl=true,...</c>).
    /// Default <see langword="null"/>: use the <c>IConnectionMultiplexer</c> registered in the
    /// service collection. The library connects on first use and always sets
    /// <c>abortConnect=false</c>, so that a Redis outage at start-up degrades (token-cache
    /// misses) instead of failing. <c>connectTimeout</c>, <c>asyncTimeout</c> and
    /// <c>syncTimeout</c> written in this string are kept; those it leaves out are set to
    /// <see cref="OperationTimeout"/>. Never logged (it may hold a password).
    /// </summary>
    public string? Configuration { get; set; }

    /// <summary>
    /// The most one Redis operation of the library (a token-cache read or write, a refresh-lock
    /// attempt, a one-time state add or take), the connect it may wait for included, takes
    /// before it counts as an outage: the token cache then answers a miss, the refresh lock
    /// fails with <c>integration_lock_unavailable</c>, the one-time store with
    /// <c>integration_state_store_unavailable</c>. It applies to a multiplexer the application
    /// registered too (without changing that multiplexer's settings). Default 3 seconds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan OperationTimeout { get; set; } = DefaultOperationTimeout;
}
