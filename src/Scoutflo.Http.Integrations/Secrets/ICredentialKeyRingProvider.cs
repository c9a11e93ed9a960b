namespace Scoutflo.Http.Integrations;

/// <summary>
/// Supplies the key ring that encrypts and decrypts stored credentials. The default reads
/// <see cref="CredentialEncryptionOptions.Keys"/>; register your own (for example keys unwrapped
/// by a KMS at start) as a singleton to replace it. It is called on every store read or write
/// and every shared-cache read or write (never per HTTP request): cache the ring, and refresh it
/// in the background when keys change.
/// </summary>
public interface ICredentialKeyRingProvider
{
    /// <summary>The current key ring.</summary>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    ValueTask<CredentialKeyRing> GetKeyRingAsync(CancellationToken cancellationToken = default);
}
