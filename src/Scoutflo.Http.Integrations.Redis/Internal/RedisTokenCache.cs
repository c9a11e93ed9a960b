using StackExchange.Redis;

namespace Scoutflo.Http.Integrations.Redis.Internal;

/// <summary>
/// The shared access-token cache in Redis: plain string values with the TTL on the key, the
/// shape the TypeScript SDK reads and writes. An outage reads as a miss and drops writes: the
/// caller then refreshes under the lock, which does fail loudly.
/// </summary>
internal sealed class RedisTokenCache : RedisStoragePart, ITokenCache
{
    public RedisTokenCache(RedisConnection connection, TimeProvider timeProvider, ILogger<RedisTokenCache> logger)
        : base(connection, timeProvider, logger, "token cache", "access tokens are not shared between processes until it is back; reads are misses and writes are dropped.")
    {
    }

    public async ValueTask<CachedToken?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        cancellationToken.ThrowIfCancellationRequested();
        RedisValueWithExpiry entry;
        try
        {
            entry = await Connection.RunAsync(database => Connected(database).StringGetWithExpiryAsync(key), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (RedisFailures.IsOutage(ex))
        {
            Failures.Report(ex);
            return null;
        }

        Failures.Succeeded();
        if (entry.Value.IsNull)
        {
            return null;
        }

        if (entry.Expiry is not { } timeToLive)
        {
            // Not written by this library nor the SDK (both set a TTL). Serving it could serve a
            // revoked token forever; a miss makes the next refresh overwrite it with a TTL.
            Log.CachedTokenWithoutExpiry(Logger, key);
            return null;
        }

        return timeToLive > TimeSpan.Zero
            ? new CachedToken(entry.Value.ToString(), Time.GetUtcNow() + timeToLive)
            : null;
    }

    public async ValueTask SetAsync(string key, string token, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentException.ThrowIfNullOrEmpty(token);
        cancellationToken.ThrowIfCancellationRequested();

        // PX counts whole milliseconds, and 0 is refused by the server.
        if (timeToLive < TimeSpan.FromMilliseconds(1))
        {
            return;
        }

        try
        {
            await Connection.RunAsync(database => Connected(database).StringSetAsync(key, token, timeToLive, When.Always), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (RedisFailures.IsOutage(ex))
        {
            Failures.Report(ex);
            return;
        }

        Failures.Succeeded();
    }

    public async ValueTask<bool> RemoveIfAsync(string key, string token, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentException.ThrowIfNullOrEmpty(token);
        cancellationToken.ThrowIfCancellationRequested();
        RedisResult removed;
        try
        {
            removed = await Connection.RunAsync(database => Connected(database).ScriptEvaluateAsync(RedisScripts.DeleteIfEquals, [key], [token]), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (RedisFailures.IsOutage(ex))
        {
            Failures.Report(ex);
            return false;
        }

        Failures.Succeeded();
        return (long)removed == 1;
    }

    /// <summary>
    /// The database, or a connection failure at once when the multiplexer knows it is
    /// disconnected. A cache must be faster than what it saves: queued behind a reconnect, every
    /// request would wait the full command time-out before refreshing anyway. (The lock and
    /// the one-time store do wait: for them a short wait beats failing.) The health check
    /// fails as fast, for the same reason.
    /// </summary>
    internal static IDatabase Connected(IDatabase database) =>
        database.Multiplexer.IsConnected
            ? database
            : throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, CommandFlags.None, "No connection to Redis is active.", null, CommandStatus.WaitingToBeSent);
}
