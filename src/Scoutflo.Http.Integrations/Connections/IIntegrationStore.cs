namespace Scoutflo.Http.Integrations;

/// <summary>
/// Where integration records live. The default keeps them in memory; <c>UseMongoDb</c> stores
/// them in the shared <c>integrations</c> collection. Every write that replaces a record is
/// conditional on its version, so concurrent writers in any number of processes never
/// overwrite each other silently.
/// </summary>
public interface IIntegrationStore
{
    /// <summary>Reads one record, or <see langword="null"/> when none has that id.</summary>
    /// <param name="integrationId">The 24-hex integration id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<Integration?> GetAsync(string integrationId, CancellationToken cancellationToken = default);

    /// <summary>Finds the records of one account, optionally only those of some providers.</summary>
    /// <param name="accountId">The owning account.</param>
    /// <param name="providers">Provider names to keep; <see langword="null"/> or empty keeps all.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<IReadOnlyList<Integration>> FindByAccountAsync(string accountId, IReadOnlyCollection<string>? providers = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Inserts a new record. The store assigns the id (when empty), sets <see cref="Integration.Version"/>
    /// to 1 and both timestamps, and returns the stored record.
    /// </summary>
    /// <param name="integration">The record to insert.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    Task<Integration> InsertAsync(Integration integration, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces a record only if it is still at <paramref name="expectedVersion"/>; the stored
    /// record gets version <paramref name="expectedVersion"/> + 1 and a new <see cref="Integration.UpdatedAt"/>.
    /// </summary>
    /// <param name="integration">The new content; its <see cref="Integration.Id"/> names the record.</param>
    /// <param name="expectedVersion">The version the caller read.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>The stored record.</returns>
    /// <exception cref="IntegrationConcurrencyException">The record is at another version.</exception>
    /// <exception cref="IntegrationNotFoundException">No record has that id.</exception>
    Task<Integration> UpdateAsync(Integration integration, int expectedVersion, CancellationToken cancellationToken = default);

    /// <summary>
    /// Applies several updates, each conditional on its own record's version exactly as
    /// <see cref="UpdateAsync"/> is, in one round trip where the store can (the MongoDB store
    /// sends one bulk write; the default sends one <see cref="UpdateAsync"/> per update). The
    /// updates are independent, not a transaction: one that is refused does not stop the others.
    /// A refresh uses it to write a rotated refresh token to every record sharing the grant.
    /// </summary>
    /// <param name="updates">The updates, each naming the record as the caller read it (whose version is the condition) and its new content.</param>
    /// <param name="cancellationToken">Cancels the writes; some may have been made already.</param>
    /// <returns>
    /// For each update, in order, the stored record; <see langword="null"/> where the record is
    /// at another version or no longer exists (nothing was written to it).
    /// </returns>
    /// <exception cref="ArgumentException">An update in the list is null (nothing is written).</exception>
    async Task<IReadOnlyList<Integration?>> UpdateEachAsync(IReadOnlyList<IntegrationUpdate> updates, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(updates);
        if (updates.Contains(null!))
        {
            throw new ArgumentException("An update in the list is null; nothing was written.", nameof(updates));
        }

        var stored = new Integration?[updates.Count];
        for (var i = 0; i < updates.Count; i++)
        {
            var update = updates[i];
            try
            {
                stored[i] = await UpdateAsync(update.Updated, update.Current.Version, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IntegrationConcurrencyException or IntegrationNotFoundException)
            {
                stored[i] = null;
            }
        }

        return stored;
    }

    /// <summary>
    /// Pages through the active OAuth integrations (<c>auth_type</c> <c>oauth2</c>, status neither
    /// <c>reauthorization_required</c> nor <c>disabled</c>) last written before
    /// <paramref name="updatedBefore"/>, in ascending id order. The keep-alive service uses it to
    /// find refresh tokens that have not been used for a while (a refresh always writes the record).
    /// </summary>
    /// <param name="updatedBefore">Only records whose <see cref="Integration.UpdatedAt"/> is earlier.</param>
    /// <param name="limit">The page size (at least 1).</param>
    /// <param name="afterId">The last id of the previous page; <see langword="null"/> for the first page.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="NotSupportedException">The store cannot answer the query (the default for stores written before it existed).</exception>
    Task<IReadOnlyList<Integration>> FindStaleOAuthAsync(DateTimeOffset updatedBefore, int limit, string? afterId = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"{GetType().Name} cannot list idle OAuth integrations; implement IIntegrationStore.FindStaleOAuthAsync to use the keep-alive service.");

    /// <summary>
    /// Pages through every record, whatever its provider, account or status, in ascending id
    /// order. Maintenance passes (the credential encryption migration) use it.
    /// </summary>
    /// <param name="limit">The page size (at least 1).</param>
    /// <param name="afterId">The last id of the previous page; <see langword="null"/> for the first page.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <exception cref="NotSupportedException">The store cannot answer the query (the default for stores written before it existed).</exception>
    Task<IReadOnlyList<Integration>> ListAsync(int limit, string? afterId = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"{GetType().Name} cannot list every integration; implement IIntegrationStore.ListAsync to run the credential migration.");

    /// <summary>Deletes a record; returns whether one was deleted.</summary>
    /// <param name="integrationId">The 24-hex integration id.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    Task<bool> DeleteAsync(string integrationId, CancellationToken cancellationToken = default);
}
