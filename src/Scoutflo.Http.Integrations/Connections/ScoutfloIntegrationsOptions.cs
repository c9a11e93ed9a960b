using System.ComponentModel.DataAnnotations;

namespace Scoutflo.Http.Integrations;

/// <summary>
/// Library-wide settings. Bound from the <c>ScoutfloIntegrations</c> configuration section by
/// <c>AddScoutfloIntegrations(IConfiguration)</c>.
/// </summary>
public sealed class ScoutfloIntegrationsOptions
{
    /// <summary>
    /// How long a resolved connection is reused before the store is read again. Changes made
    /// through the library are seen at once in this process and, with <c>UseRedis</c>, in every
    /// other process within a Redis round trip; without Redis the others see them when their
    /// entry expires, after at most this long. Default 5 minutes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan ConnectionCacheDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// The most resolved connections (each with its level-1 access token, about 2 KB) held in
    /// process. Past it, expired entries are removed first, then those closest to expiry, down
    /// to nine tenths of the limit; an evicted connection is read from the store again when next
    /// used. Default 10,000; at least 1.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int ConnectionCacheSizeLimit { get; set; } = 10_000;

    /// <summary>
    /// The most access tokens the in-memory token cache (the default without <c>UseRedis</c>)
    /// holds, evicted like <see cref="ConnectionCacheSizeLimit"/>. Default 10,000; at least 1.
    /// </summary>
    [Range(1, int.MaxValue)]
    public int TokenCacheSizeLimit { get; set; } = 10_000;

    /// <summary>
    /// How long before its real expiry an access token stops being used (and the cache TTL is
    /// <c>expires_in</c> minus this), so that a token never expires in flight. Default 60 seconds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan TokenExpirySkew { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long the refresh lock lives if its holder dies. A live holder extends it every third
    /// of the lease while its refresh runs, and stops the token request when an extend fails.
    /// Must be at least twice <see cref="TokenRequestTimeout"/> (checked at start). Default 60 seconds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan RefreshLockLease { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long the tokens of a rotation stay in the rotation journal (the shared cache, key
    /// <c>...:rotation</c> beside the refresh lock) when the store write that should have
    /// replaced it failed; the next refresh adopts them within this time. Default 7 days.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "90.00:00:00")]
    public TimeSpan RotationJournalLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long a refresh waits for another process's refresh before failing. Default 30 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan RefreshLockWait { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many times a token request that failed with a 5xx or a timeout is tried again. Default 2.</summary>
    [Range(0, 10)]
    public int TokenRequestRetries { get; set; } = 2;

    /// <summary>The first retry's delay; each further retry doubles it. Default 500 milliseconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan TokenRequestRetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long one token request may take. Default 20 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan TokenRequestTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// The largest request body that is buffered so that it can be sent again after a refresh.
    /// A larger body of a kind that cannot be replayed gets the 401 back as is. Default 1 MiB.
    /// </summary>
    [Range(0, int.MaxValue)]
    public int MaxReplayBufferBytes { get; set; } = 1024 * 1024;

    /// <summary>How long an OAuth state (and so an install URL) stays valid. Default 10 minutes.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "01:00:00")]
    public TimeSpan StateLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Moved to <c>AtlassianOptions.SiteSelectionLifetime</c> (an Atlassian setting). A value set
    /// here still applies while the Atlassian one is left at its default. Default 10 minutes.
    /// </summary>
    /// <remarks>Checked at start against 10 seconds to 1 hour, as before it moved.</remarks>
    [Obsolete("Set AtlassianOptions.SiteSelectionLifetime (section Atlassian) instead; this value applies only while that one keeps its default.")]
    public TimeSpan SiteSelectionLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The key that signs OAuth states (HMAC-SHA256): base64 of at least 32 random bytes, the same
    /// in every replica (a callback may reach another one). Default <see langword="null"/>: a random
    /// key per process, which only works while one process serves both the install and the callback.
    /// </summary>
    public string? StateSigningKey { get; set; }
}
