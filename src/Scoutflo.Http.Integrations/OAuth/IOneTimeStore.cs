namespace Scoutflo.Http.Integrations;

/// <summary>
/// Short-lived values that may be taken exactly once, shared by every process: OAuth state
/// nonces and site-selection handles. In memory by default, Redis with <c>UseRedis</c>.
/// </summary>
public interface IOneTimeStore
{
    /// <summary>Stores a value for <paramref name="timeToLive"/> unless the key exists; returns whether it was stored.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <param name="timeToLive">How long the value lives.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    ValueTask<bool> TryAddAsync(string key, string value, TimeSpan timeToLive, CancellationToken cancellationToken = default);

    /// <summary>Reads a value without taking it, or <see langword="null"/>.</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<string?> PeekAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Atomically reads and deletes a value; of many concurrent callers exactly one gets it.</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    ValueTask<string?> TakeAsync(string key, CancellationToken cancellationToken = default);
}
