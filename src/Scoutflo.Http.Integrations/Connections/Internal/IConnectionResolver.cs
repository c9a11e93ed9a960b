namespace Scoutflo.Http.Integrations.Connections.Internal;

/// <summary>
/// What the connection manager needs of resolution: the record rules before a write, and the
/// resolved connection behind <see cref="IConnectionManager.ResolveConnectionAsync"/>. The
/// resolver sits above the providers and the auth strategies it consults, so Connections
/// knows it only through this contract and depends on neither.
/// </summary>
internal interface IConnectionResolver
{
    /// <summary>The resolved connection of an id (cached, or read from the store).</summary>
    ValueTask<ResolvedConnection> ResolveAsync(string integrationId, CancellationToken cancellationToken);

    /// <summary>Throws an <see cref="IntegrationException"/> for a record no registered provider and strategy can serve.</summary>
    void Validate(Integration integration);
}
