using System.ComponentModel.DataAnnotations;

namespace Scoutflo.Http.Integrations;

/// <summary>
/// Settings of the keep-alive service (<c>AddKeepAlive</c>), which refreshes OAuth connections
/// nobody has used for a while so that their refresh tokens do not die of inactivity (Atlassian:
/// 90 days). Bound from the <c>ScoutfloIntegrations:KeepAlive</c> section by
/// <c>AddKeepAlive(IConfiguration)</c>.
/// </summary>
public sealed class IntegrationKeepAliveOptions
{
    /// <summary>Time between two passes; the first runs one interval after start. Default 6 hours.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(6);

    /// <summary>
    /// A connection whose record has not been written for this long is refreshed (every refresh
    /// writes the record). Keep it well below the provider's inactivity expiry. Default 30 days.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan IdleThreshold { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How many connections are read from the store at a time. Default 100.</summary>
    [Range(1, 10_000)]
    public int BatchSize { get; set; } = 100;

    /// <summary>How many refreshes of one batch run at the same time. Default 4.</summary>
    [Range(1, 64)]
    public int MaxConcurrency { get; set; } = 4;
}
