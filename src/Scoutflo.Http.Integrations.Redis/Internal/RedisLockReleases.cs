using StackExchange.Redis;

namespace Scoutflo.Http.Integrations.Redis.Internal;

/// <summary>
/// Wakes the waiters for a refresh lock, in every process, when its holder releases it: the
/// holder publishes the key on <c>integration:lock_released</c>, and a waiter waits for that
/// message or its backoff, whichever comes first. The backoff stays the guarantee (a lease that
/// runs out, or a message lost in an outage, publishes nothing); the message makes the common
/// case as fast as one round trip.
/// </summary>
internal sealed class RedisLockReleases
{
    /// <summary>The channel a released lock's key is published on.</summary>
    public static readonly RedisChannel Channel = RedisChannel.Literal("integration:lock_released");

    private readonly RedisConnection _connection;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Waiters> _waiters = new(StringComparer.Ordinal);
    private Task? _listening;

    public RedisLockReleases(RedisConnection connection, ILogger logger)
    {
        _connection = connection;
        _logger = logger;
    }

    /// <summary>
    /// Subscribes once per process. A failure is not remembered (the next waiter tries again)
    /// and not thrown: without the subscription waiters fall back to their backoff.
    /// </summary>
    public Task EnsureListeningAsync()
    {
        lock (_gate)
        {
            if (_listening is null || _listening.IsFaulted || _listening.IsCanceled)
            {
                _listening = SubscribeAsync();
            }

            return _listening;
        }
    }

    /// <summary>
    /// Registers a waiter for <paramref name="key"/>. Register before trying the lock, so that a
    /// release between a failed attempt and the wait is not missed; dispose after the attempt.
    /// </summary>
    public Registration Register(string key)
    {
        lock (_gate)
        {
            if (!_waiters.TryGetValue(key, out var waiters))
            {
                waiters = new Waiters();
                _waiters[key] = waiters;
            }

            waiters.Count++;
            return new Registration(this, key, waiters);
        }
    }

    /// <summary>Wakes this process's waiters at once and announces the release to the others.</summary>
    public async Task PublishAsync(string key)
    {
        Wake(key);
        await _connection.RunAsync(multiplexer => multiplexer.GetSubscriber().PublishAsync(Channel, key)).ConfigureAwait(false);
    }

    // Bounded like every other Redis operation: a server that never answers must not hold a
    // waiter here (it fails on its lock attempt instead, within the same bound).
    private Task SubscribeAsync() =>
        _connection.RunAsync(multiplexer => multiplexer.GetSubscriber().SubscribeAsync(Channel, (_, message) =>
        {
            if ((string?)message is { Length: > 0 } key && Wake(key))
            {
                Log.LockReleaseHeard(_logger, key);
            }
        }));

    private bool Wake(string key)
    {
        Waiters? waiters;
        lock (_gate)
        {
            if (!_waiters.Remove(key, out waiters))
            {
                return false;
            }
        }

        waiters.Released.TrySetResult();
        return true;
    }

    private void Unregister(string key, Waiters waiters)
    {
        lock (_gate)
        {
            // Woken waiters were removed already; a newer set for the key is not ours to touch.
            if (--waiters.Count == 0 && _waiters.TryGetValue(key, out var current) && ReferenceEquals(current, waiters))
            {
                _waiters.Remove(key);
            }
        }
    }

    /// <summary>The waiters of one key until its next release.</summary>
    internal sealed class Waiters
    {
        public TaskCompletionSource Released { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Count { get; set; }
    }

    /// <summary>One waiter's registration; <see cref="Released"/> completes at the key's next release.</summary>
    internal readonly struct Registration(RedisLockReleases owner, string key, Waiters waiters) : IDisposable
    {
        public Task Released => waiters.Released.Task;

        public void Dispose() => owner.Unregister(key, waiters);
    }
}
