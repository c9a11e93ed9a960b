namespace Scoutflo.Http.Integrations;

/// <summary>
/// The names to give OpenTelemetry: <c>.WithMetrics(m =&gt; m.AddMeter(IntegrationsTelemetry.MeterName))</c>
/// and <c>.WithTracing(t =&gt; t.AddSource(IntegrationsTelemetry.ActivitySourceName))</c>, and the
/// attributes metrics and spans share. The library's own attributes are under
/// <c>scoutflo.integration.</c>; where OpenTelemetry has a convention it is used (<c>error.type</c>).
/// </summary>
public static class IntegrationsTelemetry
{
    /// <summary>The meter of every instrument (<c>Scoutflo.Http.Integrations</c>).</summary>
    public const string MeterName = "Scoutflo.Http.Integrations";

    /// <summary>The activity source of every span (<c>Scoutflo.Http.Integrations</c>).</summary>
    public const string ActivitySourceName = "Scoutflo.Http.Integrations";

    /// <summary>The provider (<c>jira</c>, <c>slack</c>, ...), on metrics and spans.</summary>
    public const string ProviderAttribute = "scoutflo.integration.provider";

    /// <summary>The outcome of a refresh (<c>success</c>, <c>failure</c>, ...), on metrics and spans.</summary>
    public const string OutcomeAttribute = "scoutflo.integration.outcome";

    /// <summary>The cache level that answered or missed (<c>l1</c>, <c>l2</c>, <c>store</c>), on the token-cache counters.</summary>
    public const string CacheLevelAttribute = "scoutflo.integration.cache.level";

    /// <summary>Whether the refresh lock was taken (<c>true</c>/<c>false</c>), on the lock-wait histogram.</summary>
    public const string LockAcquiredAttribute = "scoutflo.integration.lock.acquired";

    /// <summary>The integration id, on spans only (an id per customer would explode a metric's cardinality).</summary>
    public const string IntegrationIdAttribute = "scoutflo.integration.id";

    /// <summary>The account id of an install, on spans only.</summary>
    public const string AccountIdAttribute = "scoutflo.integration.account_id";

    /// <summary>OpenTelemetry's <c>error.type</c>: the library's error code on a failed span.</summary>
    public const string ErrorTypeAttribute = "error.type";
}
