namespace Scoutflo.Http.Integrations;

/// <summary>
/// Creates, resolves and deletes connections. Resolution is cached in-process; changes made
/// through the manager invalidate the cache at once, changes made elsewhere are seen when the
/// cached entry ages out (<see cref="ScoutfloIntegrationsOptions.ConnectionCacheDuration"/>).
/// </summary>
public interface IConnectionManager
{
    /// <summary>Validates and inserts a new connection; returns the stored record with its id.</summary>
    /// <param name="integration">The record; <see cref="Integration.Id"/> may be empty.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <exception cref="IntegrationException">The record is invalid (unknown provider, missing credential, malformed URL, ...).</exception>
    Task<Integration> CreateConnectionAsync(Integration integration, CancellationToken cancellationToken = default);

    /// <summary>Reads a connection's record, or <see langword="null"/> when there is none.</summary>
    /// <param name="integrationId">The integration id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<Integration?> GetConnectionAsync(string integrationId, CancellationToken cancellationToken = default);

    /// <summary>Lists an account's connections, optionally only those of some providers.</summary>
    /// <param name="accountId">The owning account.</param>
    /// <param name="providers">Provider names to keep; <see langword="null"/> keeps all.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<IReadOnlyList<Integration>> ListConnectionsAsync(string accountId, IReadOnlyCollection<string>? providers = null, CancellationToken cancellationToken = default);

    /// <summary>Validates and writes a changed record if it is still at <paramref name="expectedVersion"/>.</summary>
    /// <param name="integration">The new content.</param>
    /// <param name="expectedVersion">The version the caller read.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <exception cref="IntegrationConcurrencyException">Another writer changed it first.</exception>
    Task<Integration> UpdateConnectionAsync(Integration integration, int expectedVersion, CancellationToken cancellationToken = default);

    /// <summary>
    /// Resolves what a request needs: API base address, credential applier and provider runtime
    /// (cloud id, site URL, ...). A cached resolution costs no I/O.
    /// </summary>
    /// <param name="integrationId">The integration id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="IntegrationNotFoundException">No such integration.</exception>
    /// <exception cref="IntegrationException">The record can no longer be used (invalid, or re-authorisation required).</exception>
    ValueTask<ResolvedConnection> ResolveConnectionAsync(string integrationId, CancellationToken cancellationToken = default);

    /// <summary>Deletes a connection and forgets its cached resolution; returns whether one was deleted.</summary>
    /// <param name="integrationId">The integration id.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    Task<bool> DeleteConnectionAsync(string integrationId, CancellationToken cancellationToken = default);

    /// <summary>Forgets the cached resolution of one connection, so that the next request reads the store.</summary>
    /// <param name="integrationId">The integration id.</param>
    void Invalidate(string integrationId);
}
