namespace Scoutflo.Http.Integrations;

/// <summary>
/// One conditional update for <see cref="IIntegrationStore.UpdateEachAsync"/>: the record as it
/// was read, whose <see cref="Integration.Version"/> is the condition, and what it becomes.
/// Knowing what was read lets a store write only what changed without reading the record again.
/// </summary>
public sealed class IntegrationUpdate
{
    /// <summary>Creates an update of <paramref name="current"/> to <paramref name="updated"/>.</summary>
    /// <param name="current">The record as read; the write happens only while the store still holds its version.</param>
    /// <param name="updated">The new content, with the same <see cref="Integration.Id"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="updated"/> names another record, or the id is empty.</exception>
    public IntegrationUpdate(Integration current, Integration updated)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(updated);
        ArgumentException.ThrowIfNullOrEmpty(current.Id, nameof(current));
        if (!string.Equals(current.Id, updated.Id, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The update names integration '{updated.Id}', but the record read is '{current.Id}'.", nameof(updated));
        }

        Current = current;
        Updated = updated;
    }

    /// <summary>The record as read; its version is the condition of the write.</summary>
    public Integration Current { get; }

    /// <summary>The new content of the record.</summary>
    public Integration Updated { get; }
}
