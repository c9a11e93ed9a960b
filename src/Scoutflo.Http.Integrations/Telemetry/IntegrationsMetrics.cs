using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Scoutflo.Http.Integrations.Telemetry;

/// <summary>
/// The library's instruments, on the meter <c>Scoutflo.Http.Integrations</c>. Tags are provider
/// names, cache levels and outcomes: never an id of a customer's account nor anything secret,
/// which also keeps their cardinality low.
/// </summary>
internal sealed class IntegrationsMetrics
{
    public const string MeterName = IntegrationsTelemetry.MeterName;

    public const string LevelL1 = "l1";
    public const string LevelL2 = "l2";
    public const string LevelStore = "store";

    public const string OutcomeSuccess = "success";
    public const string OutcomeFailure = "failure";
    public const string OutcomeReauthorizationRequired = "reauthorization_required";
    public const string OutcomeSkippedRefreshedElsewhere = "skipped_refreshed_elsewhere";

    // One tag instance per level, built once: recording an L1 hit allocates nothing.
    private static readonly KeyValuePair<string, object?> L1Tag = new(IntegrationsTelemetry.CacheLevelAttribute, LevelL1);
    private static readonly KeyValuePair<string, object?> L2Tag = new(IntegrationsTelemetry.CacheLevelAttribute, LevelL2);
    private static readonly KeyValuePair<string, object?> StoreTag = new(IntegrationsTelemetry.CacheLevelAttribute, LevelStore);

    private readonly Counter<long> _cacheHits;
    private readonly Counter<long> _cacheMisses;
    private readonly Counter<long> _refreshes;
    private readonly Histogram<double> _refreshDuration;
    private readonly Histogram<double> _lockWaitDuration;
    private readonly Counter<long> _unauthorizedRetries;
    private readonly Counter<long> _reauthorizationRequired;

    // Refreshes and lock waits take tens of milliseconds to seconds: the SDK's default buckets
    // (0, 5, 10, 25 ... seconds when read as seconds) would put them all in the first one.
    private static readonly InstrumentAdvice<double> DurationAdvice = new()
    {
        HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30],
    };

    public IntegrationsMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        var meter = meterFactory.Create(MeterName);
        _cacheHits = meter.CreateCounter<long>("scoutflo.integrations.token.cache.hits", "{hit}",
            "Access tokens served from a cache level (l1: in-process, l2: shared cache, store: the stored record).");
        _cacheMisses = meter.CreateCounter<long>("scoutflo.integrations.token.cache.misses", "{miss}",
            "Access-token lookups a cache level could not answer.");
        _refreshes = meter.CreateCounter<long>("scoutflo.integrations.token.refreshes", "{refresh}",
            "Refresh flights by provider and outcome (success, failure, reauthorization_required, skipped_refreshed_elsewhere).");
        _refreshDuration = meter.CreateHistogram<double>("scoutflo.integrations.token.refresh.duration", "s",
            "How long a refresh at the provider took, persisting the rotated tokens included.", tags: null, advice: DurationAdvice);
        _lockWaitDuration = meter.CreateHistogram<double>("scoutflo.integrations.lock.wait.duration", "s",
            "How long a refresh waited for the shared refresh lock.", tags: null, advice: DurationAdvice);
        _unauthorizedRetries = meter.CreateCounter<long>("scoutflo.integrations.unauthorized.retries", "{retry}",
            "Requests sent a second time after their credential was refused and refreshed.");
        _reauthorizationRequired = meter.CreateCounter<long>("scoutflo.integrations.reauthorization_required", "{transition}",
            "Integrations that changed to reauthorization_required.");
    }

    public void TokenCacheHit(string level)
    {
        if (_cacheHits.Enabled)
        {
            _cacheHits.Add(1, LevelTag(level));
        }
    }

    public void TokenCacheMiss(string level)
    {
        if (_cacheMisses.Enabled)
        {
            _cacheMisses.Add(1, LevelTag(level));
        }
    }

    public void Refresh(string provider, string outcome)
    {
        if (_refreshes.Enabled)
        {
            _refreshes.Add(1, new KeyValuePair<string, object?>(IntegrationsTelemetry.ProviderAttribute, provider), new KeyValuePair<string, object?>(IntegrationsTelemetry.OutcomeAttribute, outcome));
        }
    }

    public void RefreshDuration(string provider, string outcome, TimeSpan elapsed)
    {
        if (_refreshDuration.Enabled)
        {
            _refreshDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>(IntegrationsTelemetry.ProviderAttribute, provider), new KeyValuePair<string, object?>(IntegrationsTelemetry.OutcomeAttribute, outcome));
        }
    }

    public void LockWait(string provider, bool acquired, TimeSpan elapsed)
    {
        if (_lockWaitDuration.Enabled)
        {
            _lockWaitDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>(IntegrationsTelemetry.ProviderAttribute, provider), new KeyValuePair<string, object?>(IntegrationsTelemetry.LockAcquiredAttribute, acquired));
        }
    }

    public void UnauthorizedRetry(string provider)
    {
        if (_unauthorizedRetries.Enabled)
        {
            _unauthorizedRetries.Add(1, new KeyValuePair<string, object?>(IntegrationsTelemetry.ProviderAttribute, provider));
        }
    }

    public void ReauthorizationRequired(string provider)
    {
        if (_reauthorizationRequired.Enabled)
        {
            _reauthorizationRequired.Add(1, new KeyValuePair<string, object?>(IntegrationsTelemetry.ProviderAttribute, provider));
        }
    }

    private static KeyValuePair<string, object?> LevelTag(string level) => level switch
    {
        LevelL1 => L1Tag,
        LevelL2 => L2Tag,
        _ => StoreTag,
    };
}

/// <summary>
/// The library's <see cref="ActivitySource"/>, named like the assembly. Spans carry the provider
/// and the integration (or account) id, never a token, code, state or header value.
/// </summary>
internal static class IntegrationsActivities
{
    public const string SourceName = IntegrationsTelemetry.ActivitySourceName;

    public const string Refresh = "scoutflo.integrations.token.refresh";
    public const string LockWait = "scoutflo.integrations.lock.wait";
    public const string TokenExchange = "scoutflo.integrations.token.exchange";
    public const string InstallCallback = "scoutflo.integrations.install.callback";

    public const string ProviderTag = IntegrationsTelemetry.ProviderAttribute;
    public const string IntegrationIdTag = IntegrationsTelemetry.IntegrationIdAttribute;
    public const string AccountIdTag = IntegrationsTelemetry.AccountIdAttribute;
    public const string OutcomeTag = IntegrationsTelemetry.OutcomeAttribute;
    public const string ErrorCodeTag = IntegrationsTelemetry.ErrorTypeAttribute;

    public static readonly ActivitySource Source = new(SourceName);

    public static Activity? Start(string name, string provider, string? integrationId)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity(name, ActivityKind.Internal);
        if (activity is not null)
        {
            activity.SetTag(ProviderTag, provider);
            if (integrationId is not null)
            {
                activity.SetTag(IntegrationIdTag, integrationId);
            }
        }

        return activity;
    }

    /// <summary>Marks a span failed with an error code (never an exception message: it is only the code that is tagged).</summary>
    public static void Fail(Activity? activity, string errorCode)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag(ErrorCodeTag, errorCode);
        activity.SetStatus(ActivityStatusCode.Error, errorCode);
    }
}
