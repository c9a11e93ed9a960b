using System.ComponentModel.DataAnnotations;

namespace Scoutflo.Http.Integrations;

/// <summary>
/// Library-wide settings. Bound from the <c>ScoutfloIntegrations</c> configuration section by
/// <c>AddScoutfloIntegrations(IConfiguration)</c>.
/// </summary>
public sealed class ScoutfloIntegrationsOptions
{
    /// <summary>
    /// How long a resolved connection is reused before the store is read again (changes made
    /// through <see cref="IConnectionManager"/> in this process are seen at once). Default 5 minutes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan ConnectionCacheDuration { get; set; } = TimeSpan.FromMinutes(5);
}
