namespace Scoutflo.Http.Integrations.Connections.Internal;

/// <summary>
/// Told after <see cref="IConnectionManager.DeleteConnectionAsync"/> removed a record, so that a
/// feature which keeps state about a connection (OAuth's cached tokens and rotation journal)
/// drops it itself: Connections knows nothing of that state, and the dependency points from
/// the feature to Connections, never back.
/// </summary>
internal interface IConnectionDeletionObserver
{
    /// <summary>Forgets what is kept about <paramref name="deleted"/>, the record as it was just before its delete.</summary>
    ValueTask OnDeletedAsync(Integration deleted, CancellationToken cancellationToken);
}
