using Scoutflo.Http.Integrations.Connections.Internal;
using Scoutflo.Http.Integrations.Model.Internal;
using Scoutflo.Http.Integrations.Providers;
using Scoutflo.Http.Integrations.Telemetry;

namespace Scoutflo.Http.Integrations.Resolution.Internal;

/// <summary>
/// Turns an integration id into a <see cref="ResolvedConnection"/> (provider endpoint plus
/// credential applier), and holds the rules a record must meet to be used. Kept apart from
/// <see cref="ConnectionManager"/>'s CRUD: resolution changes with the request path (caching,
/// single flight, providers and strategies), CRUD with the store contract.
/// </summary>
internal sealed class ConnectionResolver : IConnectionResolver
{
    private readonly IIntegrationStore _store;
    private readonly IntegrationProviderRegistry _providers;
    private readonly FrozenDictionary<string, IAuthStrategy> _strategies;
    private readonly ResolvedConnectionCache _cache;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, ResolutionFlight> _resolving = new(StringComparer.Ordinal);

    public ConnectionResolver(
        IIntegrationStore store,
        IntegrationProviderRegistry providers,
        IEnumerable<IAuthStrategy> strategies,
        ResolvedConnectionCache cache,
        ILogger<ConnectionResolver> logger)
    {
        _store = store;
        _providers = providers;

        // Later registrations win, so that a consumer can replace a built-in strategy.
        _strategies = strategies.GroupBy(s => s.AuthType, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
        _cache = cache;
        _logger = logger;
    }

    /// <summary>The connection's runtime: the in-process cache, else one shared store read per id.</summary>
    public ValueTask<ResolvedConnection> ResolveAsync(string integrationId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(integrationId);
        if (_cache.TryGet(integrationId, out var cached))
        {
            return ValueTask.FromResult(cached);
        }

        // Only on a miss: a cached id is well formed. A malformed id (a typo in a URL) is the
        // caller's mistake, not a deleted integration; the message does not echo it.
        if (!IntegrationIdFormat.IsValid(integrationId))
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

    // The flight leaves the table before its callers hear how it ended: a caller that comes
    // after a failure (having seen it, or not) starts a read of its own rather than joining
    // the failed one. After a success the resolved connection is cached already.
    private async Task RunResolutionAsync(string integrationId, ResolutionFlight flight)
    {
        ResolvedConnection resolved;
        try
        {
            resolved = await ResolveFromStoreAsync(integrationId, flight.Generation, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _resolving.TryRemove(new KeyValuePair<string, ResolutionFlight>(integrationId, flight));
            flight.Result.TrySetException(ex);
            return;
        }

        _resolving.TryRemove(new KeyValuePair<string, ResolutionFlight>(integrationId, flight));
        flight.Result.TrySetResult(resolved);
    }

    private sealed class ResolutionFlight(long generation)
    {
        public long Generation { get; } = generation;

        public TaskCompletionSource<ResolvedConnection> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
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

    // A provider accepts its own auth types; the custom provider also an application's own
    // strategy (IAuthStrategy registered for a new auth type), but never a built-in type it does
    // not list (oauth2 needs a provider's token endpoint). The host guard and StoredValueRules
    // run for every auth type alike.
    private static bool Accepts(ProviderProfile profile, string? authType) =>
        authType is not null
        && (profile.AuthTypes.Contains(authType) || (profile.AcceptsRegisteredAuthTypes && !IntegrationAuthTypes.IsBuiltIn(authType)));

    /// <summary>The rules a record must meet before it is stored or used: known provider, account, supported auth type, the provider's and the strategy's own checks.</summary>
    void IConnectionResolver.Validate(Integration integration) => Validate(integration);

    public (IIntegrationProvider Provider, ProviderProfile Profile, IAuthStrategy Strategy) Validate(Integration integration)
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

        if (!Accepts(profile, integration.AuthType) || !_strategies.TryGetValue(integration.AuthType, out var strategy))
        {
            throw new IntegrationException(IntegrationErrorCodes.AuthTypeUnsupported,
                $"A {integration.Provider} integration cannot use auth type '{Printable(integration.AuthType)}'. It accepts: {string.Join(", ", _strategies.Keys.Where(t => Accepts(profile, t)).Order(StringComparer.Ordinal))}.")
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
