using System.Security.Cryptography;
using StackExchange.Redis;

namespace Scoutflo.Http.Integrations.Redis.Internal;

/// <summary>
/// The refresh lock in Redis: <c>SET key owner NX PX lease</c>, released only by its owner (a
/// compare-and-delete script), so a holder whose lease ran out cannot free the next holder's
/// lock. Waiters wait for the holder's release (announced on Redis pub/sub, see
/// <see cref="RedisLockReleases"/>) or their capped exponential backoff with jitter, whichever
/// comes first, never spin, and give up after the wait. When Redis cannot be reached the lock throws rather than answering "not taken" or
/// "taken": a refresh must never proceed without it.
/// </summary>
internal sealed class RedisDistributedLock : RedisStoragePart, IDistributedLock
{
    internal static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(20);
    internal static readonly TimeSpan MaxBackoff = TimeSpan.FromMilliseconds(250);

    private readonly RedisLockReleases _releases;

    public RedisDistributedLock(RedisConnection connection, TimeProvider timeProvider, ILogger<RedisDistributedLock> logger)
        : base(connection, timeProvider, logger, "refresh lock", "token refreshes fail with integration_lock_unavailable until it is back.")
    {
        _releases = new RedisLockReleases(connection, logger);
    }

    public async ValueTask<IDistributedLockHandle?> TryAcquireAsync(string key, TimeSpan lease, TimeSpan wait, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentOutOfRangeException.ThrowIfLessThan(lease, TimeSpan.FromMilliseconds(1));
        ArgumentOutOfRangeException.ThrowIfLessThan(wait, TimeSpan.Zero);

        // Unguessable, so that no other process can pass for this holder.
        var owner = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var started = Time.GetTimestamp();
        var backoff = FirstBackoff;
        // Subscribing runs beside the first attempt: an outage then costs one operation bound,
        // not two, and a waiter listens before it first sleeps.
        var listening = ListenForReleasesAsync();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var registration = _releases.Register(key);
            if (await TrySetAsync(key, owner, lease).ConfigureAwait(false))
            {
                return new Handle(this, key, owner);
            }

            await listening.ConfigureAwait(false);

            var remaining = wait - Time.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
            {
                Log.LockWaitTimedOut(Logger, key, (long)wait.TotalMilliseconds);
                return null;
            }

            // Half fixed, half random: waiters that collided once do not collide again. The
            // release wakes them earlier; the backoff covers a lease that ran out (no release).
            var delay = (backoff / 2) + (backoff / 2 * Random.Shared.NextDouble());
            using (var sleeping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                var backoffOver = Task.Delay(delay < remaining ? delay : remaining, Time, sleeping.Token);
                await Task.WhenAny(registration.Released, backoffOver).ConfigureAwait(false);
                await sleeping.CancelAsync().ConfigureAwait(false); // frees the backoff timer after an early wake
            }

            backoff = backoff * 2 < MaxBackoff ? backoff * 2 : MaxBackoff;
        }
    }

    private async Task ListenForReleasesAsync()
    {
        try
        {
            await _releases.EnsureListeningAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (RedisFailures.IsOutage(ex))
        {
            // Not fatal: the attempt below reports the outage, or waiters poll with backoff alone.
            Failures.Report(ex);
        }
    }

    private async Task<bool> TrySetAsync(string key, string owner, TimeSpan lease)
    {
        bool taken;
        try
        {
            taken = await Connection.RunAsync(database => database.StringSetAsync(key, owner, lease, When.NotExists), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (RedisFailures.IsOutage(ex))
        {
            Failures.Report(ex);
            throw new IntegrationException(IntegrationErrorCodes.LockUnavailable, $"The refresh lock ({Connection.Describe()}) cannot be reached, so the token is not refreshed. Retry when it is back.", ex);
        }

        Failures.Succeeded();
        return taken;
    }

    private async Task<bool> RunIfOwnerAsync(string script, string key, RedisValue[] arguments)
    {
        var result = await Connection.RunAsync(database => database.ScriptEvaluateAsync(script, [key], arguments), CancellationToken.None).ConfigureAwait(false);
        return (long)result == 1;
    }

    /// <summary>A held lock; the holder of a long refresh extends its lease with <see cref="TryExtendAsync"/>.</summary>
    internal sealed class Handle(RedisDistributedLock redisLock, string key, string ownerToken) : IDistributedLockHandle
    {
        private int _released;

        public string Key => key;

        /// <summary>The random value stored at the key while this handle holds it.</summary>
        internal string OwnerToken => ownerToken;

        /// <summary>Resets the lease to <paramref name="lease"/> from now; <see langword="false"/> when the lock is no longer this holder's.</summary>
        /// <exception cref="IntegrationException">Redis cannot be reached (<c>integration_lock_unavailable</c>).</exception>
        public async ValueTask<bool> TryExtendAsync(TimeSpan lease, CancellationToken cancellationToken = default)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(lease, TimeSpan.FromMilliseconds(1));
            cancellationToken.ThrowIfCancellationRequested();
            if (Volatile.Read(ref _released) != 0)
            {
                return false;
            }

            try
            {
                return await redisLock.RunIfOwnerAsync(RedisScripts.ExtendIfEquals, key, [ownerToken, (long)lease.TotalMilliseconds]).ConfigureAwait(false);
            }
            catch (Exception ex) when (RedisFailures.IsOutage(ex))
            {
                redisLock.Failures.Report(ex);
                throw new IntegrationException(IntegrationErrorCodes.LockUnavailable, $"The refresh lock ({redisLock.Connection.Describe()}) cannot be reached; its lease was not extended.", ex);
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) != 0)
            {
                return;
            }

            try
            {
                if (!await redisLock.RunIfOwnerAsync(RedisScripts.DeleteIfEquals, key, [ownerToken]).ConfigureAwait(false))
                {
                    Log.LockLostBeforeRelease(redisLock.Logger, key);
                }
                else
                {
                    // Waiters in every process try again now rather than at their next backoff.
                    await redisLock._releases.PublishAsync(key).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (RedisFailures.IsOutage(ex))
            {
                // Disposal must not throw; the lease frees the lock when Redis is back.
                redisLock.Failures.Report(ex);
            }
        }
    }
}
