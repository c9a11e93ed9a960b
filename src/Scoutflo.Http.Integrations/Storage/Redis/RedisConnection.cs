using StackExchange.Redis;

namespace Scoutflo.Http.Integrations.Storage.Redis;

/// <summary>
/// The multiplexer the Redis adapters share: one given (owned by whoever made it), or one this
/// object connects on first use and disposes. Connecting lazily keeps the building of the
/// service provider off the network.
/// </summary>
internal sealed class RedisConnection : IAsyncDisposable
{
    private readonly IConnectionMultiplexer? _given;
    private readonly ConfigurationOptions? _configuration;
    private readonly Lock _gate = new();
    private Task<ConnectionMultiplexer>? _connecting;
    private bool _disposed;

    public RedisConnection(IConnectionMultiplexer multiplexer)
    {
        ArgumentNullException.ThrowIfNull(multiplexer);
        _given = multiplexer;
    }

    public RedisConnection(ConfigurationOptions configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        _configuration = configuration.Clone();

        // Never fail the first connect for good: keep retrying in the background, so that the
        // adapters degrade during an outage and recover after it.
        _configuration.AbortOnConnectFail = false;
    }

    public ValueTask<IDatabase> GetDatabaseAsync()
    {
        if (_given is not null)
        {
            return ValueTask.FromResult(_given.GetDatabase());
        }

        var connecting = Connecting();
        return connecting.IsCompletedSuccessfully
            ? ValueTask.FromResult<IDatabase>(connecting.Result.GetDatabase())
            : AwaitDatabaseAsync(connecting);

        static async ValueTask<IDatabase> AwaitDatabaseAsync(Task<ConnectionMultiplexer> connecting) =>
            (await connecting.ConfigureAwait(false)).GetDatabase();
    }

    /// <summary>The multiplexer itself, for pub/sub (invalidations and lock releases).</summary>
    public async ValueTask<IConnectionMultiplexer> GetMultiplexerAsync() =>
        _given ?? await Connecting().ConfigureAwait(false);

    private Task<ConnectionMultiplexer> Connecting()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);

            // A failed attempt (rare with abortConnect=false: a name that does not resolve) is
            // retried by the next caller rather than remembered.
            if (_connecting is null || _connecting.IsFaulted || _connecting.IsCanceled)
            {
                _connecting = ConnectionMultiplexer.ConnectAsync(_configuration!);
            }

            return _connecting;
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task<ConnectionMultiplexer>? connecting;
        lock (_gate)
        {
            _disposed = true;
            connecting = _connecting;
        }

        if (connecting is null)
        {
            return;
        }

        try
        {
            await (await connecting.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
        }
        catch (RedisException)
        {
            // It never connected: nothing to close.
        }
    }
}
