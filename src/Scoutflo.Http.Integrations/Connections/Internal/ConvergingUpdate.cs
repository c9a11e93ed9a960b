namespace Scoutflo.Http.Integrations.Connections.Internal;

/// <summary>
/// A conditional update that converges: read, change, write on the version read; on a version
/// conflict read again and re-apply the change. Multi-record updates (siblings) are sequences
/// of these instead of transactions, which the shared MongoDB cannot be assumed to offer.
/// </summary>
internal static class ConvergingUpdate
{
    private const int MaxConflictRetries = 8;

    /// <param name="read">Reads the current record; <see langword="null"/> when it is gone.</param>
    /// <param name="write">Writes a record on the expected version.</param>
    /// <param name="change">The new record, or <see langword="null"/> to decline (nothing to do).</param>
    /// <param name="cancellationToken">Cancels the reads and writes.</param>
    /// <returns>The stored record, or <see langword="null"/> when it was gone or the change declined.</returns>
    public static async Task<Integration?> ApplyAsync(
        Func<CancellationToken, Task<Integration?>> read,
        Func<Integration, int, CancellationToken, Task<Integration>> write,
        Func<Integration, Integration?> change,
        CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var current = await read(cancellationToken).ConfigureAwait(false);
            if (current is null || change(current) is not { } updated)
            {
                return null;
            }

            try
            {
                return await write(updated, current.Version, cancellationToken).ConfigureAwait(false);
            }
            catch (IntegrationConcurrencyException) when (attempt < MaxConflictRetries)
            {
            }
        }
    }
}
