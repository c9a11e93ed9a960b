using System.Collections.Concurrent;
using System.Collections.Frozen;
using Microsoft.Extensions.Logging;
using Scoutflo.Http.Integrations.OAuth.Internal;
using Scoutflo.Http.Integrations.Providers;
using Scoutflo.Http.Integrations.Telemetry;

namespace Scoutflo.Http.Integrations.Connections.Internal;

/// <summary>
/// Validates records against their provider and auth strategy, and keeps resolved
/// connections in memory so that a request on a known connection does no I/O.
/// </summary>
internal sealed class ConnectionManager : IConnectionManager
{
    private readonly IIntegrationStore _store;
    private readonly IntegrationProviderRegistry _providers;
    private readonly FrozenDictionary<string, IAuthStrategy> _strategies;
    private readonly ResolvedConnectionCache _cache;
    private readonly ITokenCache _tokens;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, ResolutionFlight> _resolving = new(StringComparer.Ordinal);

    public ConnectionManager(
        IIntegrationStore store,
        IntegrationProviderRegistry providers,
        IEnumerable<IAuthStrategy> strategies,
        ResolvedConnectionCache cache,
        ITokenCache tokens,
        ILogger<ConnectionManager> logger)
    {
        _store = store;
        _providers = providers;

        // Later registrations win, so that a consumer can replace a built-in strategy.
        _strategies = strategies.GroupBy(s => s.AuthType, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
        _cache = cache;
        _tokens = tokens;
        _logger = logger;
    }

    public async Task<Integration> CreateConnectionAsync(Integration integration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(integration);
        Validate(integration);
        var stored = await _store.InsertAsync(integration, cancellationToken).ConfigureAwait(false);
        Log.ConnectionCreated(_logger, stored.Id, stored.Provider, stored.AuthType);
        return stored;
    }

    public Task<Integration?> GetConnectionAsync(string integrationId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(integrationId);
        return _store.GetAsync(integrationId, cancellationToken);
    }

    public Task<IReadOnlyList<Integration>> ListConnectionsAsync(string accountId, IReadOnlyCollection<string>? providers = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        return _store.FindByAccountAsync(accountId, providers, cancellationToken);
    }

    public async Task<Integration> UpdateConnectionAsync(Integration integration, int expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(integration);
        ArgumentException.ThrowIfNullOrEmpty(integration.Id, nameof(integration));
        Validate(integration);
        try
        {
            return await _store.UpdateAsync(integration, expectedVersion, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Invalidate(integration.Id);
        }
    }

    public ValueTask<ResolvedConnection> ResolveConnectionAsync(string integrationId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(integrationId);
        if (_cache.TryGet(integrationId, out var cached))
        {
            return ValueTask.FromResult(cached);
        }

        // Only on a miss: a cached id is well formed. A malformed id (a typo in a URL) is the
        // caller's mistake, not a deleted integration; the message does not echo it.
        if (!MongoDB.Bson.ObjectId.TryParse(integrationId, out _))
        {
            return ValueTask.FromException<ResolvedConnection>(
                new IntegrationException(IntegrationErrorCodes.IdInvalid, "The integration id is not a 24-character hexadecimal string."));
        }

        return new ValueTask<ResolvedConnection>(JoinResolution(integrationId, cancellationToken));
    }

    // Concurrent misses on one id share one store read, so that a burst of first requests on a
    // cold replica is one read, not one per caller (a thousand of them overflowed MongoDB's
    // connection wait queue). A read that began before an invalidation is never joined after
    // it: its record may be the one the invalidation was about.
    private Task<ResolvedConnection> JoinResolution(string integrationId, CancellationToken cancellationToken)
    {
        while (true)
        {
            var generation = _cache.Generation;
            if (_resolving.TryGetValue(integrationId, out var running))
            {
                if (running.Generation == generation)
                {
                    return running.Result.Task.WaitAsync(cancellationToken);
                }

                var replacement = new ResolutionFlight(generation);
                if (_resolving.TryUpdate(integrationId, replacement, running))
                {
                    return Start(integrationId, replacement).WaitAsync(cancellationToken);
                }

                continue;
            }

            var flight = new ResolutionFlight(generation);
            if (_resolving.TryAdd(integrationId, flight))
            {
                return Start(integrationId, flight).WaitAsync(cancellationToken);
            }
        }
    }

    // The shared read is not cancelled by the first caller's token (the others wait on it too);
    // the store bounds it (MongoIntegrationStoreOptions.OperationTimeout).
    private Task<ResolvedConnection> Start(string integrationId, ResolutionFlight flight)
    {
        _ = RunResolutionAsync(integrationId, flight);
        return flight.Result.Task;
    }

    private async Task RunResolutionAsync(string integrationId, ResolutionFlight flight)
    {
        try
        {
            flight.Result.TrySetResult(await ResolveFromStoreAsync(integrationId, flight.Generation, CancellationToken.None).ConfigureAwait(false));
        }
        catch (Exception ex)
        {
            flight.Result.TrySetException(ex);
        }
        finally
        {
            _resolving.TryRemove(new KeyValuePair<string, ResolutionFlight>(integrationId, flight));
        }
    }

    private sealed class ResolutionFlight(long generation)
    {
        public long Generation { get; } = generation;

        public TaskCompletionSource<ResolvedConnection> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public async Task<bool> DeleteConnectionAsync(string integrationId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(integrationId);
        try
        {
            var record = await _store.GetAsync(integrationId, cancellationToken).ConfigureAwait(false);
            var deleted = await _store.DeleteAsync(integrationId, cancellationToken).ConfigureAwait(false);
            if (deleted)
            {
                Log.ConnectionDeleted(_logger, integrationId);
                if (record is { AuthType: IntegrationAuthTypes.OAuth2 })
                {
                    await ForgetCachedTokensAsync(record, cancellationToken).ConfigureAwait(false);
                }
            }

            return deleted;
        }
        finally
        {
            Invalidate(integrationId);
        }
    }

    // A disconnected customer's tokens must not stay readable in the shared cache until their
    // TTL ends: the access tokens and its rotation journal. This runs after the record is gone,
    // so a refresh still in flight finds no record to write (or, if it wrote first, sees the
    // record gone when it checks after caching) and takes back what it cached.
    // Compare-and-delete is the cache's only removal, so read, then remove.
    private async Task ForgetCachedTokensAsync(Integration record, CancellationToken cancellationToken)
    {
        foreach (var slot in OAuthTokenSlot.All)
        {
            foreach (var key in new[] { TokenKeys.AccessToken(record.Provider, record.Id, record.AccountId, slot.CacheKeyName), RotationJournal.Key(record, slot) })
            {
                if (await _tokens.GetAsync(key, cancellationToken).ConfigureAwait(false) is { } cached)
                {
                    await _tokens.RemoveIfAsync(key, cached.Token, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    public void Invalidate(string integrationId)
    {
        ArgumentException.ThrowIfNullOrEmpty(integrationId);
        _cache.Invalidate(integrationId);
    }

    private async Task<ResolvedConnection> ResolveFromStoreAsync(string integrationId, long generation, CancellationToken cancellationToken)
    {
        var integration = await _store.GetAsync(integrationId, cancellationToken).ConfigureAwait(false)
            ?? throw new IntegrationNotFoundException(integrationId);
        EnsureUsable(integration);

        ResolvedConnection connection;
        ProviderEndpoint endpoint;
        try
        {
            // Records written elsewhere (the TypeScript SDK shares the collection) never passed
            // through CreateConnectionAsync: the same rules, now, before anything is sent.
            var (provider, profile, strategy) = Validate(integration);
            endpoint = provider.GetEndpoint(integration);
            connection = new ResolvedConnection(integration, endpoint.BaseAddress, endpoint.SiteAddress,
                strategy.CreateApplier(integration, profile));
        }
        catch (IntegrationException ex)
        {
            Log.StoredRecordRefused(_logger, integrationId, Printable(integration.Provider), ex.ErrorCode);
            throw;
        }

        Log.ConnectionResolved(_logger, integrationId, integration.Provider, ResolvedConnection.Origin(endpoint.BaseAddress));
        _cache.Set(connection, generation);

        return connection;
    }

    // The provider name is echoed into a log line: not a foreign record's control characters.
    private static string Printable(string? value) =>
        value is null ? string.Empty : StoredValueRules.HasControlCharacter(value) || value.Length > 64 ? "(unprintable)" : value;

    private static void EnsureUsable(Integration integration)
    {
        switch (integration.Status)
        {
            case IntegrationStatus.ReauthorizationRequired:
                throw new ReauthorizationRequiredException(integration.Id, integration.Provider);
            case IntegrationStatus.Disabled:
                throw new IntegrationException(IntegrationErrorCodes.Disabled, $"Integration '{integration.Id}' is disabled.")
                {
                    IntegrationId = integration.Id,
                    Provider = integration.Provider,
                };
        }
    }

    private (IIntegrationProvider Provider, ProviderProfile Profile, IAuthStrategy Strategy) Validate(Integration integration)
    {
        // Sizes and control characters first: nothing below may echo an oversized or injecting value.
        StoredValueRules.Check(integration);
        string? id = integration.Id.Length == 0 ? null : integration.Id;
        if (string.IsNullOrWhiteSpace(integration.Provider) || !_providers.TryGet(integration.Provider, out var provider, out var profile))
        {
            throw ProviderMissing(integration.Provider, id);
        }

        if (string.IsNullOrWhiteSpace(integration.AccountId))
        {
            throw new IntegrationException(IntegrationErrorCodes.RecordInvalid, "An integration needs an account id.")
            {
                IntegrationId = id,
                Provider = integration.Provider,
            };
        }

        if (!profile.AuthTypes.Contains(integration.AuthType) || !_strategies.TryGetValue(integration.AuthType, out var strategy))
        {
            throw new IntegrationException(IntegrationErrorCodes.AuthTypeUnsupported,
                $"A {integration.Provider} integration cannot use auth type '{Printable(integration.AuthType)}'. It accepts: {string.Join(", ", profile.AuthTypes.Where(_strategies.ContainsKey))}.")
            {
                IntegrationId = id,
                Provider = integration.Provider,
            };
        }

        provider.Validate(integration);
        strategy.Validate(integration, profile);
        return (provider, profile, strategy);
    }

    // A provider this library ships but the application did not add is a registration to add,
    // not a bad record; anything else is a name nobody serves here.
    private IntegrationException ProviderMissing(string? provider, string? id)
    {
        var known = string.Join(", ", _providers.Names);
        return IntegrationProviders.RegistrationFor(provider) is { } registration
            ? new IntegrationException(IntegrationErrorCodes.ProviderNotRegistered,
                $"Provider '{provider}' is not registered: add it with {registration} on the builder AddScoutfloIntegrations returns. Registered providers: {known}.")
            {
                IntegrationId = id,
                Provider = provider,
            }
            : new IntegrationException(IntegrationErrorCodes.ProviderUnknown,
                $"Provider '{Printable(provider)}' is not registered. Known providers: {known}.")
            {
                IntegrationId = id,
            };
    }
}
