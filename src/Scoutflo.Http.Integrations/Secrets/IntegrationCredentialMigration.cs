using Microsoft.Extensions.Options;
using Scoutflo.Http.Integrations.Secrets.Internal;

namespace Scoutflo.Http.Integrations;

/// <summary>
/// Moves stored credentials into (and out of) encryption at rest, page by page in id order.
/// Idempotent: a record already under the current key is left alone, one under a retired key is
/// re-encrypted (the key rotation pass), so a pass may be run again or resumed from
/// <see cref="CredentialMigrationResult.LastId"/> at any time. Every write is conditional on
/// the record's version: when a token refresh writes the record meanwhile, the refresh wins and
/// the record is read again and redone. Requires <c>UseCredentialEncryption</c> and a store that
/// implements <see cref="IIntegrationStore.ListAsync"/> (the in-memory and MongoDB stores do).
/// Only the store's records are migrated: token-cache entries expire on their own, and are read
/// in either form meanwhile.
/// </summary>
public sealed class IntegrationCredentialMigration
{
    private const int MaxAttemptsPerRecord = 5;
    private readonly IIntegrationStore _store;
    private readonly CredentialProtector _protector;
    private readonly IOptionsMonitor<CredentialEncryptionOptions> _options;

    internal IntegrationCredentialMigration(IIntegrationStore store, CredentialProtector protector, IOptionsMonitor<CredentialEncryptionOptions> options)
    {
        // The pass reads and writes the stored form, under the decorator the rest of the library uses.
        _store = store is EncryptingIntegrationStore encrypting
            ? encrypting.Inner
            : throw new InvalidOperationException("The registered IIntegrationStore is not wrapped by credential encryption; call UseCredentialEncryption() on the integrations builder.");
        _protector = protector;
        _options = options;
    }

    /// <summary>
    /// Encrypts every plain credential under the current key and re-encrypts every one under a
    /// retired key. Records whose values cannot be decrypted (unknown key, tampered) are counted
    /// as failed and left as they are.
    /// </summary>
    /// <param name="afterId">Resume after this id (from <see cref="CredentialMigrationResult.LastId"/>); <see langword="null"/> starts at the beginning.</param>
    /// <param name="progress">Told the running totals after each page, so that an interrupted pass can be resumed.</param>
    /// <param name="cancellationToken">Stops the pass between records.</param>
    public Task<CredentialMigrationResult> EncryptAllAsync(string? afterId = null, IProgress<CredentialMigrationResult>? progress = null, CancellationToken cancellationToken = default) =>
        RunAsync(encrypt: true, afterId, progress, cancellationToken);

    /// <summary>
    /// Writes every credential back in plain text, for a rollback to a reader without the keys
    /// (the TypeScript SDK). Set <see cref="CredentialEncryptionOptions.EncryptWrites"/> to
    /// <see langword="false"/> on every process first, or refreshes will encrypt again.
    /// </summary>
    /// <param name="afterId">Resume after this id; <see langword="null"/> starts at the beginning.</param>
    /// <param name="progress">Told the running totals after each page.</param>
    /// <param name="cancellationToken">Stops the pass between records.</param>
    public Task<CredentialMigrationResult> DecryptAllAsync(string? afterId = null, IProgress<CredentialMigrationResult>? progress = null, CancellationToken cancellationToken = default) =>
        RunAsync(encrypt: false, afterId, progress, cancellationToken);

    private async Task<CredentialMigrationResult> RunAsync(bool encrypt, string? afterId, IProgress<CredentialMigrationResult>? progress, CancellationToken cancellationToken)
    {
        var direction = encrypt ? "encrypt" : "decrypt";
        var pageSize = _options.CurrentValue.MigrationPageSize;
        var ring = await _protector.RingAsync(cancellationToken).ConfigureAwait(false);
        var totals = new CredentialMigrationResult(0, 0, 0, 0, afterId);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = await _store.ListAsync(pageSize, totals.LastId, cancellationToken).ConfigureAwait(false);
            if (page.Count == 0)
            {
                break;
            }

            // Records of a page are independent (each write is version-conditional): a few at a
            // time hides the round trips. The cursor moves only once the whole page is done, so
            // a resumed pass never skips a record.
            int rewritten = 0, unchanged = 0, failed = 0;
            await Parallel.ForEachAsync(page, new ParallelOptions { MaxDegreeOfParallelism = _options.CurrentValue.MigrationConcurrency, CancellationToken = cancellationToken }, async (record, ct) =>
            {
                var outcome = await MigrateAsync(record, ring, encrypt, direction, ct).ConfigureAwait(false);
                Interlocked.Increment(ref outcome == Outcome.Rewritten ? ref rewritten : ref outcome == Outcome.Unchanged ? ref unchanged : ref failed);
            }).ConfigureAwait(false);
            totals = new CredentialMigrationResult(
                totals.Scanned + page.Count,
                totals.Rewritten + rewritten,
                totals.Unchanged + unchanged,
                totals.Failed + failed,
                page[^1].Id);

            progress?.Report(totals);
        }

        SecretsLog.MigrationPass(_protector.Logger, direction, totals.Scanned, totals.Rewritten, totals.Unchanged, totals.Failed, totals.LastId ?? "(none)");
        return totals;
    }

    private enum Outcome
    {
        Rewritten,
        Unchanged,
        Failed,
    }

    private async Task<Outcome> MigrateAsync(Integration record, CredentialKeyRing ring, bool encrypt, string direction, CancellationToken cancellationToken)
    {
        var current = record;
        for (var attempt = 1; ; attempt++)
        {
            Dictionary<string, string>? changed;
            try
            {
                changed = encrypt ? Encrypted(ring, current) : Decrypted(ring, current);
            }
            catch (IntegrationException ex)
            {
                SecretsLog.MigrationRecordFailed(_protector.Logger, direction, current.Id, ex.ErrorCode);
                return Outcome.Failed;
            }

            if (changed is null)
            {
                return Outcome.Unchanged;
            }

            try
            {
                await _store.UpdateAsync(current with { Credentials = changed }, current.Version, cancellationToken).ConfigureAwait(false);
                return Outcome.Rewritten;
            }
            catch (IntegrationConcurrencyException) when (attempt < MaxAttemptsPerRecord)
            {
                // A refresh (or another pass) wrote it meanwhile: its write stands, redo ours on top.
                if (await _store.GetAsync(current.Id, cancellationToken).ConfigureAwait(false) is not { } reread)
                {
                    return Outcome.Unchanged;
                }

                current = reread;
            }
            catch (IntegrationNotFoundException)
            {
                return Outcome.Unchanged;
            }
            catch (IntegrationConcurrencyException ex)
            {
                SecretsLog.MigrationRecordFailed(_protector.Logger, direction, current.Id, ex.ErrorCode);
                return Outcome.Failed;
            }
        }
    }

    /// <summary>The credentials under the current key, or <see langword="null"/> when they already are.</summary>
    private Dictionary<string, string>? Encrypted(CredentialKeyRing ring, Integration record)
    {
        Dictionary<string, string>? result = null;
        foreach (var (field, value) in record.Credentials)
        {
            if (string.IsNullOrEmpty(value) || CredentialCipher.KeyIdOf(value) == ring.CurrentKeyId)
            {
                // Under the current key already; a damaged one still fails when read, as it should.
                continue;
            }

            var plain = CredentialCipher.IsEncrypted(value) ? _protector.OpenCredential(ring, record.Id, field, value) : value;
            result ??= new Dictionary<string, string>(record.Credentials, StringComparer.Ordinal);
            result[field] = CredentialCipher.Encrypt(ring, plain, CredentialCipher.CredentialContext(record.Id, field));
        }

        return result;
    }

    /// <summary>The credentials in plain text, or <see langword="null"/> when they already are.</summary>
    private Dictionary<string, string>? Decrypted(CredentialKeyRing ring, Integration record)
    {
        Dictionary<string, string>? result = null;
        foreach (var (field, value) in record.Credentials)
        {
            if (!CredentialCipher.IsEncrypted(value))
            {
                continue;
            }

            result ??= new Dictionary<string, string>(record.Credentials, StringComparer.Ordinal);
            result[field] = _protector.OpenCredential(ring, record.Id, field, value);
        }

        return result;
    }
}
