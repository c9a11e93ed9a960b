using System.ComponentModel.DataAnnotations;

namespace Scoutflo.Http.Integrations;

/// <summary>
/// Settings of encryption at rest (<c>UseCredentialEncryption</c>): every value inside a stored
/// record's <c>credentials</c>, every value of the shared token cache and every one-time value
/// (OAuth state, pending site selections) is written as an AES-256-GCM envelope tagged with its
/// key id. Bound from the <c>ScoutfloIntegrations:CredentialEncryption</c> section by
/// <c>UseCredentialEncryption(IConfiguration)</c>.
/// </summary>
public sealed class CredentialEncryptionOptions
{
    /// <summary>
    /// The id of the key that encrypts new values; it must be one of <see cref="Keys"/>. Ids are
    /// 1 to 64 characters of <c>A-Z a-z 0-9 _ -</c>. No default: required unless an
    /// <see cref="ICredentialKeyRingProvider"/> of the application's own supplies the keys.
    /// </summary>
    public string? CurrentKeyId { get; set; }

    /// <summary>
    /// The key ring: key id to a 32-byte key in base64. Every key decrypts; only
    /// <see cref="CurrentKeyId"/> encrypts. Keep a retired key here until a re-encryption pass
    /// has moved every value off it. Default empty.
    /// </summary>
    public IDictionary<string, string> Keys { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// Whether writes are encrypted. Set it to <see langword="false"/> to roll back: values are
    /// still decrypted when read, new ones are written in plain text, and
    /// <see cref="IntegrationCredentialMigration.DecryptAllAsync"/> turns the rest back. Default <see langword="true"/>.
    /// </summary>
    public bool EncryptWrites { get; set; } = true;

    /// <summary>
    /// Whether a plain (unencrypted) stored value is refused as
    /// <c>integration_credentials_decryption_failed</c> instead of read as it is. Turn it on once
    /// the encrypt pass has finished, so that a value planted in plain text is never used.
    /// Default <see langword="false"/> (mixed collections are read during the migration).
    /// </summary>
    public bool RejectPlaintext { get; set; }

    /// <summary>
    /// Whether a hosted service runs the encrypt pass (<see cref="IntegrationCredentialMigration.EncryptAllAsync"/>)
    /// at start and then every <see cref="ReencryptionInterval"/>: it encrypts plain records and
    /// re-encrypts those under a retired key. Default <see langword="false"/>.
    /// </summary>
    public bool BackgroundReencryption { get; set; }

    /// <summary>Time between two background passes. Default 24 hours.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan ReencryptionInterval { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How many records of a page a migration pass rewrites at the same time. Default 4.</summary>
    [Range(1, 64)]
    public int MigrationConcurrency { get; set; } = 4;

    /// <summary>How many records a migration pass reads from the store at a time. Default 500.</summary>
    [Range(1, 10_000)]
    public int MigrationPageSize { get; set; } = 500;
}
