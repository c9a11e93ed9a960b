namespace Scoutflo.Http.Integrations;

/// <summary>
/// A lock shared by every process of the consuming service: in memory by default, Redis with
/// <c>UseRedis</c> (key <c>integration:{provider}:{integration_id}:app_user:{account_id}:refresh_lock</c>).
/// It keeps two processes from spending the same single-use refresh token.
/// </summary>
public interface IDistributedLock
{
    /// <summary>
    /// Takes the lock, waiting at most <paramref name="wait"/> (without spinning). Returns
    /// <see langword="null"/> when it could not be taken in that time. The lock frees itself
    /// after <paramref name="lease"/> if its holder dies.
    /// </summary>
    /// <param name="key">The lock key.</param>
    /// <param name="lease">How long the lock lives without its holder.</param>
    /// <param name="wait">How long to wait for it.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <exception cref="IntegrationException">The lock's backend cannot be reached (<c>integration_lock_unavailable</c>).</exception>
    ValueTask<IDistributedLockHandle?> TryAcquireAsync(string key, TimeSpan lease, TimeSpan wait, CancellationToken cancellationToken = default);
}

/// <summary>A held lock; disposing it releases it (only if it is still this holder's).</summary>
public interface IDistributedLockHandle : IAsyncDisposable
{
    /// <summary>The lock key.</summary>
    string Key { get; }

    /// <summary>
    /// Resets the lease to <paramref name="lease"/> from now, only if the lock is still this
    /// holder's (an owner-checked extend). A holder whose work may outlast the lease calls it
    /// periodically, and stops its work when it answers <see langword="false"/>: someone else
    /// may hold the lock by then.
    /// </summary>
    /// <param name="lease">The new lease, from now.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="false"/> when the lock is no longer this holder's (its lease ran out, or it was released).</returns>
    /// <exception cref="IntegrationException">The lock's backend cannot be reached (<c>integration_lock_unavailable</c>); whether the lock is still held is then unknown.</exception>
    ValueTask<bool> TryExtendAsync(TimeSpan lease, CancellationToken cancellationToken = default);
}
