namespace Scoutflo.Http.Integrations;

/// <summary>
/// The Redis server <c>UseRedis</c> keeps access tokens, refresh locks and one-time OAuth
/// state in. Bound from the <c>Redis</c> configuration section by <c>UseRedis(IConfiguration)</c>.
/// Without a <see cref="Configuration"/>, the <c>IConnectionMultiplexer</c> registered in the
/// service collection is used.
/// </summary>
public sealed class RedisIntegrationsOptions
{
    /// <summary>
    /// A StackExchange.Redis configuration string (<c>host:port,password=...,ssl=true,...</c>).
    /// Default <see langword="null"/>: use the <c>IConnectionMultiplexer</c> registered in the
    /// service collection. The library connects on first use and always sets
    /// <c>abortConnect=false</c>, so that a Redis outage at start-up degrades (token-cache
    /// misses) instead of failing; time-outs (<c>connectTimeout</c>, <c>asyncTimeout</c>) come
    /// from this string. Never logged (it may hold a password).
    /// </summary>
    public string? Configuration { get; set; }
}
