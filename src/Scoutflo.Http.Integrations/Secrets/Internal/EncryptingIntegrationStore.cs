using Scoutflo.Http.Integrations.Storage.InMemory;

namespace Scoutflo.Http.Integrations.Secrets.Internal;

/// <summary>
/// Wraps the application's store: credentials are encrypted on the way in and decrypted on the
/// way out, so every caller (the resolver, the refresh path's compare-and-set on refresh tokens,
/// the sibling lookup by grant) compares plain values, and no query of the store ever looks at
/// a credential. A new record gets its id here, before the write, because its ciphertexts are
/// bound to it.
/// </summary>
internal sealed class EncryptingIntegrationStore(IIntegrationStore inner, CredentialProtector protector, TimeProvider timeProvider) : IIntegrationStore
{
    /// <summary>The wrapped store, which holds and returns the values as stored. For the migration.</summary>
    public IIntegrationStore Inner => inner;

    public async Task<Integration?> GetAsync(string integrationId, CancellationToken cancellationToken = default)
    {
        var stored = await inner.GetAsync(integrationId, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            return null;
        }

        var ring = await protector.RingAsync(cancellationToken).ConfigureAwait(false);
        return protector.DecryptRecord(ring, stored);
    }

    public async Task<IReadOnlyList<Integration>> FindByAccountAsync(string accountId, IReadOnlyCollection<string>? providers = null, CancellationToken cancellationToken = default) =>
        await DecryptListingAsync(await inner.FindByAccountAsync(accountId, providers, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<Integration>> FindStaleOAuthAsync(DateTimeOffset updatedBefore, int limit, string? afterId = null, CancellationToken cancellationToken = default) =>
        await DecryptListingAsync(await inner.FindStaleOAuthAsync(updatedBefore, limit, afterId, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<Integration>> ListAsync(int limit, string? afterId = null, CancellationToken cancellationToken = default) =>
        await DecryptListingAsync(await inner.ListAsync(limit, afterId, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    public async Task<Integration> InsertAsync(Integration integration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(integration);
        if (!protector.EncryptWrites)
        {
            return await inner.InsertAsync(integration, cancellationToken).ConfigureAwait(false);
        }

        var ring = await protector.RingAsync(cancellationToken).ConfigureAwait(false);
        var withId = integration.Id.Length == 0 ? integration with { Id = ObjectIdGenerator.NewId(timeProvider) } : integration;
        var stored = await inner.InsertAsync(CredentialProtector.EncryptRecord(ring, withId), cancellationToken).ConfigureAwait(false);
        return protector.DecryptRecord(ring, stored);
    }

    public async Task<Integration> UpdateAsync(Integration integration, int expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(integration);
        ArgumentException.ThrowIfNullOrEmpty(integration.Id, nameof(integration));
        var ring = await protector.RingAsync(cancellationToken).ConfigureAwait(false);
        var written = protector.EncryptWrites ? CredentialProtector.EncryptRecord(ring, integration) : integration;
        var stored = await inner.UpdateAsync(written, expectedVersion, cancellationToken).ConfigureAwait(false);
        return protector.DecryptRecord(ring, stored);
    }

    public async Task<IReadOnlyList<Integration?>> UpdateEachAsync(IReadOnlyList<IntegrationUpdate> updates, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(updates);
        var ring = await protector.RingAsync(cancellationToken).ConfigureAwait(false);

        // The record read stays as read (in plain text): against a new ciphertext every
        // credential differs and is written, which is what UpdateAsync writes too. A null update
        // goes through as it is, for the inner store to refuse before it writes anything.
        var written = protector.EncryptWrites
            ? updates.Select(u => u is null ? u! : new IntegrationUpdate(u.Current, CredentialProtector.EncryptRecord(ring, u.Updated))).ToList()
            : updates;
        var stored = await inner.UpdateEachAsync(written, cancellationToken).ConfigureAwait(false);
        return stored.Select(r => r is null ? null : protector.DecryptRecord(ring, r)).ToList();
    }

    public Task<bool> DeleteAsync(string integrationId, CancellationToken cancellationToken = default) =>
        inner.DeleteAsync(integrationId, cancellationToken);

    /// <summary>
    /// The listing in plain text, leaving out (and logging) a record that cannot be decrypted, as
    /// the MongoDB store leaves out a document it cannot read: one bad record must not stop the
    /// refresh of its siblings or a keep-alive pass. Reading it by id still raises its error.
    /// </summary>
    private async Task<IReadOnlyList<Integration>> DecryptListingAsync(IReadOnlyList<Integration> stored, CancellationToken cancellationToken)
    {
        if (stored.Count == 0)
        {
            return stored;
        }

        var ring = await protector.RingAsync(cancellationToken).ConfigureAwait(false);
        var records = new List<Integration>(stored.Count);
        foreach (var record in stored)
        {
            try
            {
                records.Add(protector.DecryptRecord(ring, record));
            }
            catch (IntegrationException ex) when (ex.ErrorCode is IntegrationErrorCodes.CredentialsKeyUnknown or IntegrationErrorCodes.CredentialsDecryptionFailed)
            {
                SecretsLog.RecordSkipped(protector.Logger, record.Id, ex.ErrorCode);
            }
        }

        return records;
    }
}
