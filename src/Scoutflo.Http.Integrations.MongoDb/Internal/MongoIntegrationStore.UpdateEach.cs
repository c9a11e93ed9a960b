using MongoDB.Bson;
using MongoDB.Driver;

namespace Scoutflo.Http.Integrations.MongoDb.Internal;

/// <summary>
/// Several conditional updates in one bulk write. <see cref="UpdateAsync"/> reads the document
/// before it writes (its per-key diff needs the stored values); here the caller hands over the
/// record as it read it, and the version filter guarantees that the diff against that record is
/// the diff against the stored document, so no read is needed when every update is taken.
/// </summary>
internal sealed partial class MongoIntegrationStore
{
    public async Task<IReadOnlyList<Integration?>> UpdateEachAsync(IReadOnlyList<IntegrationUpdate> updates, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(updates);
        if (updates.Contains(null!))
        {
            throw new ArgumentException("An update in the list is null; nothing was written.", nameof(updates));
        }

        // The bulk write is checked and built whole before it is sent.
        var results = new Integration?[updates.Count];
        var now = Now();
        var models = new List<WriteModel<BsonDocument>>(updates.Count);
        var batch = new List<(int Index, ObjectId Id, Integration Stored)>(updates.Count);
        var readFirst = new List<int>();
        for (var i = 0; i < updates.Count; i++)
        {
            var (current, integration) = (updates[i].Current, updates[i].Updated);
            if (!ObjectId.TryParse(current.Id, out var id))
            {
                // No document can have that id.
                continue;
            }

            if (BuildUpdateFromRead(current, integration, current.Version + 1, now) is not { } change)
            {
                readFirst.Add(i);
                continue;
            }

            EnsureFits(IntegrationDocument.ToDocument(integration, id, now), integration.Id);
            models.Add(new UpdateOneModel<BsonDocument>(VersionFilter(id, current.Version), change));
            batch.Add((i, id, integration with { Version = current.Version + 1, CreatedAt = current.CreatedAt, UpdatedAt = new DateTimeOffset(now, TimeSpan.Zero) }));
        }

        if (models.Count > 0)
        {
            await WriteBatchAsync(models, batch, results, cancellationToken).ConfigureAwait(false);
        }

        // Rare (a key no update path can address, a sub-document that read as empty): one
        // read-first update each.
        foreach (var i in readFirst)
        {
            results[i] = await UpdateOrNullAsync(updates[i].Updated, updates[i].Current.Version, cancellationToken).ConfigureAwait(false);
        }

        return results;
    }

    /// <summary>One bulk write of <paramref name="models"/>; fills <paramref name="results"/> for the records of <paramref name="batch"/>.</summary>
    private async Task WriteBatchAsync(List<WriteModel<BsonDocument>> models, List<(int Index, ObjectId Id, Integration Stored)> batch, Integration?[] results, CancellationToken cancellationToken)
    {
        EnsureIndexesInBackground();
        var onlyId = batch.Count == 1 ? batch[0].Stored.Id : null;
        var written = await RunAsync(Access.Write, onlyId, ct => _collection.BulkWriteAsync(models, new BulkWriteOptions { IsOrdered = false }, ct), cancellationToken).ConfigureAwait(false);

        // An unacknowledged write (a client of the application's with w:0) counts nothing: read back.
        if (written.IsAcknowledged && written.MatchedCount == models.Count)
        {
            foreach (var (index, _, stored) in batch)
            {
                results[index] = stored;
            }

            return;
        }

        // Some filter matched nothing (another version, or gone), and the count does not say
        // which: read them back in one round trip and keep what holds exactly this write.
        // Another writer's identical content at the same version and millisecond would pass for
        // this one; the record would then hold exactly what was asked.
        var ids = new BsonArray(batch.Select(b => b.Id));
        var documents = await RunAsync(Access.Read, onlyId, ct => _collection.Find(new BsonDocument(IntegrationDocument.Id, new BsonDocument("$in", ids))).ToListAsync(ct), cancellationToken).ConfigureAwait(false);
        var byId = ReadAll(documents).ToDictionary(r => r.Id, StringComparer.Ordinal);
        foreach (var (index, _, stored) in batch)
        {
            results[index] = byId.TryGetValue(stored.Id, out var found) && HoldsThisWrite(found, stored) ? stored : null;
        }
    }

    /// <summary>
    /// The update of a record from <paramref name="current"/> as read to <paramref name="integration"/>;
    /// <see langword="null"/> when only the stored document can tell how to write it: a changed
    /// key no update path can address, or a sub-document that read as empty (it may be missing,
    /// not a document, or hold only values the reader skips).
    /// </summary>
    private static BsonDocument? BuildUpdateFromRead(Integration current, Integration integration, int newVersion, DateTime now)
    {
        var set = FieldsSetByEveryUpdate(integration, newVersion, now);
        var unset = new BsonDocument();
        return TryAddChangesFromRead(set, unset, IntegrationDocument.Credentials, current.Credentials, integration.Credentials)
            && TryAddChangesFromRead(set, unset, IntegrationDocument.Metadata, current.Metadata, integration.Metadata)
                ? Combine(set, unset)
                : null;
    }

    private static bool TryAddChangesFromRead(BsonDocument set, BsonDocument unset, string field, IReadOnlyDictionary<string, string> read, IReadOnlyDictionary<string, string> wanted)
    {
        var changes = Changes(read, wanted);
        if (changes.Count == 0)
        {
            return true;
        }

        if (read.Count == 0 || changes.Any(c => !IsPlainFieldName(c.Key)))
        {
            return false;
        }

        AddPathChanges(set, unset, field, changes);
        return true;
    }

    /// <summary>Whether the stored record is the one this write made: its version, its time and its values.</summary>
    private static bool HoldsThisWrite(Integration found, Integration written) =>
        found.Version == written.Version
        && found.UpdatedAt == written.UpdatedAt
        && SameValues(found.Credentials, written.Credentials)
        && SameValues(found.Metadata, written.Metadata);

    private static bool SameValues(IReadOnlyDictionary<string, string> found, IReadOnlyDictionary<string, string> written) =>
        found.Count == written.Count
        && written.All(p => found.TryGetValue(p.Key, out var value) && string.Equals(value, p.Value, StringComparison.Ordinal));

    private async Task<Integration?> UpdateOrNullAsync(Integration integration, int expectedVersion, CancellationToken cancellationToken)
    {
        try
        {
            return await UpdateAsync(integration, expectedVersion, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IntegrationConcurrencyException or IntegrationNotFoundException)
        {
            return null;
        }
    }
}
