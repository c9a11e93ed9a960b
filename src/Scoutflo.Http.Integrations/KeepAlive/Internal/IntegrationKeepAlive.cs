using Scoutflo.Http.Integrations.OAuth.Internal;
using Scoutflo.Http.Integrations.Telemetry;

namespace Scoutflo.Http.Integrations.KeepAlive.Internal;

/// <summary>What one keep-alive pass did.</summary>
internal readonly record struct KeepAlivePassResult(int Found, int Refreshed, int Skipped, int Failed);

/// <summary>
/// One keep-alive pass: pages through the OAuth integrations idle for longer than the threshold
/// and refreshes each through <see cref="IdleTokenRefresh.RefreshIfIdleAsync"/>, the same lock
/// and re-read as a request's refresh. Connections marked for re-authorisation are not listed.
/// </summary>
internal sealed class IntegrationKeepAlive
{
    private readonly IIntegrationStore _store;
    private readonly IdleTokenRefresh _tokens;
    private readonly FrozenDictionary<string, IOAuthProvider> _providers;
    private readonly IOptionsMonitor<IntegrationKeepAliveOptions> _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    public IntegrationKeepAlive(
        IIntegrationStore store,
        IdleTokenRefresh tokens,
        IEnumerable<IOAuthProvider> providers,
        IOptionsMonitor<IntegrationKeepAliveOptions> options,
        TimeProvider timeProvider,
        ILogger<IntegrationKeepAlive> logger)
    {
        _store = store;
        _tokens = tokens;
        _providers = OAuthProviderMap.ByName(providers);
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    public async Task<KeepAlivePassResult> RunOnceAsync(CancellationToken cancellationToken)
    {
        var settings = _options.CurrentValue;
        var idleSince = _timeProvider.GetUtcNow() - settings.IdleThreshold;
        int found = 0, refreshed = 0, skipped = 0, failed = 0;
        string? afterId = null;
        while (true)
        {
            var page = await _store.FindStaleOAuthAsync(idleSince, settings.BatchSize, afterId, cancellationToken).ConfigureAwait(false);
            if (page.Count == 0)
            {
                break;
            }

            found += page.Count;
            await Parallel.ForEachAsync(page, new ParallelOptions { MaxDegreeOfParallelism = settings.MaxConcurrency, CancellationToken = cancellationToken },
                async (record, token) =>
                {
                    switch (await RefreshAsync(record, idleSince, token).ConfigureAwait(false))
                    {
                        case true:
                            Interlocked.Increment(ref refreshed);
                            break;
                        case false:
                            Interlocked.Increment(ref skipped);
                            break;
                        default:
                            Interlocked.Increment(ref failed);
                            break;
                    }
                }).ConfigureAwait(false);

            afterId = page[^1].Id;
            if (page.Count < settings.BatchSize)
            {
                break;
            }
        }

        Log.KeepAlivePass(_logger, found, idleSince, refreshed, skipped, failed);
        return new KeepAlivePassResult(found, refreshed, skipped, failed);
    }

    /// <summary>True: refreshed; false: skipped; null: failed (logged, the pass goes on).</summary>
    private async Task<bool?> RefreshAsync(Integration record, DateTimeOffset idleSince, CancellationToken cancellationToken)
    {
        if (!_providers.TryGetValue(record.Provider, out var provider))
        {
            return false;
        }

        try
        {
            var connection = new OAuthConnection(record, provider, OAuthTokenSlot.Primary);
            var done = await _tokens.RefreshIfIdleAsync(connection, idleSince, cancellationToken).ConfigureAwait(false);
            if (done)
            {
                Log.KeepAliveRefreshed(_logger, record.Id, record.Provider);
            }

            return done;
        }
        catch (IntegrationException ex)
        {
            Log.KeepAliveRefreshFailed(_logger, record.Id, record.Provider, ex.ErrorCode);
            return null;
        }
    }
}
