using StackExchange.Redis;

namespace Scoutflo.Http.Integrations.Redis.Internal;

/// <summary>
/// One-time values (OAuth state, site-selection handles) in Redis: added with SET NX PX and
/// taken with GETDEL, so that of any number of concurrent takers exactly one gets the value.
/// An outage fails the install flow with <c>integration_state_store_unavailable</c>: a state
/// that cannot be checked must not be accepted.
/// </summary>
internal sealed class RedisOneTimeStore(RedisConnection connection) : IOneTimeStore
{
    public async ValueTask<bool> TryAddAsync(string key, string value, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentOutOfRangeException.ThrowIfLessThan(timeToLive, TimeSpan.FromMilliseconds(1));
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return await connection.RunAsync(database => database.StringSetAsync(key, value, timeToLive, When.NotExists), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (RedisFailures.IsOutage(ex))
        {
            throw Unavailable(ex);
        }
    }

    public ValueTask<string?> PeekAsync(string key, CancellationToken cancellationToken = default) =>
        ReadAsync(key, database => database.StringGetAsync(key), cancellationToken, cancellationToken);

    // Not cancelled by the caller once sent: a value taken on the server must not be lost
    // silently. Only the outage bound abandons it (then the install starts again).
    public ValueTask<string?> TakeAsync(string key, CancellationToken cancellationToken = default) =>
        ReadAsync(key, database => database.StringGetDeleteAsync(key), CancellationToken.None, cancellationToken);

    /// <summary>One read (GET or GETDEL); <paramref name="sendCancellation"/> is what may stop it once sent.</summary>
    private async ValueTask<string?> ReadAsync(string key, Func<IDatabase, Task<RedisValue>> read, CancellationToken sendCancellation, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            var value = await connection.RunAsync(read, sendCancellation).ConfigureAwait(false);
            return value.IsNull ? null : value.ToString();
        }
        catch (Exception ex) when (RedisFailures.IsOutage(ex))
        {
            throw Unavailable(ex);
        }
    }

    private IntegrationException Unavailable(Exception cause) =>
        new(IntegrationErrorCodes.StateStoreUnavailable, $"The one-time state store ({connection.Describe()}) cannot be reached; the OAuth install cannot be checked. Retry when it is back.", cause);
}
