using Scoutflo.Http.Integrations.Model.Internal;

namespace Scoutflo.Http.Integrations.Storage.InMemory;

/// <summary>
/// The embedded default store: records live in this process only. Same semantics as the
/// MongoDB store (ObjectId ids, version-conditional updates), so code tested on it behaves the
/// same on real storage.
/// </summary>
internal sealed class InMemoryIntegrationStore(TimeProvider timeProvider) : IIntegrationStore
{
    private readonly ConcurrentDictionary<string, Integration> _records = new(StringComparer.Ordinal);

    public Task<Integration?> GetAsync(string integrationId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(integrationId);
        return Task.FromResult(_records.GetValueOrDefault(integrationId));
    }

    public Task<IReadOnlyList<Integration>> FindByAccountAsync(string accountId, IReadOnlyCollection<string>? providers = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        IReadOnlyList<Integration> found = _records.Values
            .Where(r => r.AccountId == accountId && (providers is null || providers.Count == 0 || providers.Contains(r.Provider)))
            .OrderBy(r => r.CreatedAt)
            .ThenBy(r => r.Id, StringComparer.Ordinal)
            .ToList();
        return Task.FromResult(found);
    }

    public Task<Integration> InsertAsync(Integration integration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(integration);
        var id = integration.Id.Length == 0 ? ObjectIdGenerator.NewId(timeProvider) : integration.Id;
        if (!IntegrationIdFormat.IsValid(id))
        {
            throw new IntegrationException(IntegrationErrorCodes.IdInvalid, $"'{id}' is not a 24-character hexadecimal integration id.");
        }

        var now = timeProvider.GetUtcNow();
        var stored = Snapshot(integration) with { Id = id, Version = 1, CreatedAt = now, UpdatedAt = now };
        if (!_records.TryAdd(id, stored))
        {
            throw new IntegrationException(IntegrationErrorCodes.VersionConflict, $"Integration '{id}' already exists.") { IntegrationId = id };
        }

        return Task.FromResult(stored);
    }

    public Task<Integration> UpdateAsync(Integration integration, int expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(integration);
        ArgumentException.ThrowIfNullOrEmpty(integration.Id, nameof(integration));
        while (true)
        {
            if (!_records.TryGetValue(integration.Id, out var current))
            {
                throw new IntegrationNotFoundException(integration.Id);
            }

            if (current.Version != expectedVersion)
            {
                throw new IntegrationConcurrencyException(integration.Id, expectedVersion);
            }

            var updated = Snapshot(integration) with
            {
                Version = expectedVersion + 1,
                CreatedAt = current.CreatedAt,
                UpdatedAt = timeProvider.GetUtcNow(),
            };

            // Compare-and-swap on the exact instance read: of two racing writers one fails here
            // and sees the other's version on its next lap.
            if (_records.TryUpdate(integration.Id, updated, current))
            {
                return Task.FromResult(updated);
            }
        }
    }

    public Task<IReadOnlyList<Integration>> FindStaleOAuthAsync(DateTimeOffset updatedBefore, int limit, string? afterId = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);

        // Ids are lowercase 24-hex ObjectIds, so ordinal order is the server's _id order.
        IReadOnlyList<Integration> found = _records.Values
            .Where(r => r.AuthType == IntegrationAuthTypes.OAuth2
                && r.Status is not (IntegrationStatus.ReauthorizationRequired or IntegrationStatus.Disabled)
                && r.UpdatedAt < updatedBefore
                && (afterId is null || string.CompareOrdinal(r.Id, afterId) > 0))
            .OrderBy(r => r.Id, StringComparer.Ordinal)
            .Take(limit)
            .ToList();
        return Task.FromResult(found);
    }

    public Task<IReadOnlyList<Integration>> ListAsync(int limit, string? afterId = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        IReadOnlyList<Integration> found = _records.Values
            .Where(r => afterId is null || string.CompareOrdinal(r.Id, afterId) > 0)
            .OrderBy(r => r.Id, StringComparer.Ordinal)
            .Take(limit)
            .ToList();
        return Task.FromResult(found);
    }

    public Task<bool> DeleteAsync(string integrationId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(integrationId);
        return Task.FromResult(_records.TryRemove(integrationId, out _));
    }

    /// <summary>
    /// Copies the collections, which may be mutable ones behind read-only interfaces: a caller
    /// changing its dictionary after a write must not change the stored record, just as it
    /// cannot change a document already in MongoDB.
    /// </summary>
    private static Integration Snapshot(Integration integration) => integration with
    {
        Credentials = integration.Credentials.ToFrozenDictionary(StringComparer.Ordinal),
        Metadata = integration.Metadata.ToFrozenDictionary(StringComparer.Ordinal),
        Scopes = [.. integration.Scopes],
    };
}
