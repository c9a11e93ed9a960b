namespace Scoutflo.Http.Integrations.Secrets.Internal;

/// <summary>
/// Wraps the shared token cache: values are encrypted and bound to their key. A value that
/// cannot be decrypted reads as a miss (the cache's contract for anything it cannot serve), so
/// the token is fetched again rather than a damaged one sent. Compare-and-delete compares the
/// plain values, then deletes the exact stored envelope.
/// </summary>
internal sealed class EncryptingTokenCache(ITokenCache inner, CredentialProtector protector) : ITokenCache
{
    public async ValueTask<CachedToken?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        if (await inner.GetAsync(key, cancellationToken).ConfigureAwait(false) is not { } stored)
        {
            return null;
        }

        var ring = await protector.RingAsync(cancellationToken).ConfigureAwait(false);
        return Open(ring, key, stored.Token) is { } token ? new CachedToken(token, stored.ExpiresAt) : null;
    }

    public async ValueTask SetAsync(string key, string token, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (!protector.EncryptWrites)
        {
            await inner.SetAsync(key, token, timeToLive, cancellationToken).ConfigureAwait(false);
            return;
        }

        var ring = await protector.RingAsync(cancellationToken).ConfigureAwait(false);
        await inner.SetAsync(key, CredentialCipher.Encrypt(ring, token, CredentialCipher.CacheContext(key)), timeToLive, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<bool> RemoveIfAsync(string key, string token, CancellationToken cancellationToken = default)
    {
        if (await inner.GetAsync(key, cancellationToken).ConfigureAwait(false) is not { } stored)
        {
            return false;
        }

        var ring = await protector.RingAsync(cancellationToken).ConfigureAwait(false);
        return string.Equals(Open(ring, key, stored.Token), token, StringComparison.Ordinal)
            && await inner.RemoveIfAsync(key, stored.Token, cancellationToken).ConfigureAwait(false);
    }

    private string? Open(CredentialKeyRing ring, string key, string stored)
    {
        if (!CredentialCipher.IsEncrypted(stored))
        {
            if (protector.RejectPlaintext)
            {
                SecretsLog.CacheValueRefused(protector.Logger, IntegrationErrorCodes.CredentialsDecryptionFailed, "(plain text)");
                return null;
            }

            return stored;
        }

        var result = CredentialCipher.TryDecrypt(ring, stored, CredentialCipher.CacheContext(key), out var plaintext);
        if (result == DecryptResult.Ok)
        {
            return plaintext;
        }

        SecretsLog.CacheValueRefused(protector.Logger, CredentialProtector.ErrorCodeOf(result), CredentialCipher.KeyIdOf(stored) ?? "(none)");
        return null;
    }
}
