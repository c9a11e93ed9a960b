using Scoutflo.Http.Integrations.Connections.Internal;

namespace Scoutflo.Http.Integrations.OAuth.Internal;

/// <summary>The one way the refresh path writes a record: a converging conditional update.</summary>
internal static class TokenRecordWrites
{
    /// <summary>
    /// The same change to several records, starting from each as the caller just read it (under
    /// the refresh lock): its version is the condition of the first write, which saves a read.
    /// One <see cref="IIntegrationStore.UpdateEachAsync"/> for all of them (one round trip on
    /// MongoDB), then, only for a record the store refused (another version, or gone), the
    /// converging update that reads it again. A record <paramref name="change"/> leaves alone is
    /// not written.
    /// </summary>
    /// <returns>For each record, in order, as stored now; <see langword="null"/> where nothing was written.</returns>
    public static async Task<Integration?[]> UpdateEachFromAsync(IIntegrationStore store, IReadOnlyList<Integration> currents, Func<Integration, Integration?> change, CancellationToken cancellationToken)
    {
        var stored = new Integration?[currents.Count];
        var updates = new List<IntegrationUpdate>(currents.Count);
        var positions = new List<int>(currents.Count);
        for (var i = 0; i < currents.Count; i++)
        {
            if (change(currents[i]) is { } updated)
            {
                updates.Add(new IntegrationUpdate(currents[i], updated));
                positions.Add(i);
            }
        }

        if (updates.Count == 0)
        {
            return stored;
        }

        IReadOnlyList<Integration?> written;
        try
        {
            written = await store.UpdateEachAsync(updates, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not IntegrationException and not OperationCanceledException)
        {
            throw WriteFailed(currents[positions[0]], ex);
        }

        if (written.Count != updates.Count)
        {
            throw new InvalidOperationException($"{store.GetType().Name}.UpdateEachAsync answered {written.Count} results for {updates.Count} updates; it must answer one per update, in order.");
        }

        for (var j = 0; j < positions.Count; j++)
        {
            var current = currents[positions[j]];
            stored[positions[j]] = written[j] ?? await UpdateWithRetryAsync(store, current, change, cancellationToken).ConfigureAwait(false);
        }

        return stored;
    }

    /// <summary>A converging conditional update; a store failure other than a conflict becomes <c>integration_store_write_failed</c>.</summary>
    public static async Task<Integration?> UpdateWithRetryAsync(IIntegrationStore store, Integration target, Func<Integration, Integration?> change, CancellationToken cancellationToken)
    {
        var integrationId = target.Id;
        try
        {
            return await ConvergingUpdate.ApplyAsync(
                ct => store.GetAsync(integrationId, ct),
                (updated, version, ct) => store.UpdateAsync(updated, version, ct),
                change,
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not IntegrationException and not OperationCanceledException)
        {
            throw WriteFailed(target, ex);
        }
    }

    /// <summary>A store failure other than a conflict, as the refresh path reports it.</summary>
    private static IntegrationException WriteFailed(Integration target, Exception inner) =>
        new(IntegrationErrorCodes.StoreWriteFailed, $"Integration '{target.Id}': the store refused the write of its rotated tokens.", inner)
        {
            IntegrationId = target.Id,
            Provider = target.Provider,
        };
}
