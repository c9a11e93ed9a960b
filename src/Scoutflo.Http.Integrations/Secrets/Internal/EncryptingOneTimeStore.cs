namespace Scoutflo.Http.Integrations.Secrets.Internal;

/// <summary>
/// Wraps the one-time store (OAuth state, pending site selections, which hold tokens): values
/// are encrypted and bound to their key. A value that cannot be decrypted raises the library's
/// error rather than being handed to the install flow.
/// </summary>
internal sealed class EncryptingOneTimeStore(IOneTimeStore inner, CredentialProtector protector) : IOneTimeStore
{
    public async ValueTask<bool> TryAddAsync(string key, string value, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!protector.EncryptWrites)
        {
            return await inner.TryAddAsync(key, value, timeToLive, cancellationToken).ConfigureAwait(false);
        }

        var ring = await protector.RingAsync(cancellationToken).ConfigureAwait(false);
        return await inner.TryAddAsync(key, CredentialCipher.Encrypt(ring, value, CredentialCipher.OneTimeContext(key)), timeToLive, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<string?> PeekAsync(string key, CancellationToken cancellationToken = default) =>
        await OpenAsync(key, await inner.PeekAsync(key, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    public async ValueTask<string?> TakeAsync(string key, CancellationToken cancellationToken = default) =>
        await OpenAsync(key, await inner.TakeAsync(key, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    private async ValueTask<string?> OpenAsync(string key, string? stored, CancellationToken cancellationToken)
    {
        if (stored is null)
        {
            return null;
        }

        DecryptResult result;
        string plaintext;
        if (!CredentialCipher.IsEncrypted(stored))
        {
            if (!protector.RejectPlaintext)
            {
                return stored;
            }

            result = DecryptResult.Malformed;
            plaintext = string.Empty;
        }
        else
        {
            var ring = await protector.RingAsync(cancellationToken).ConfigureAwait(false);
            result = CredentialCipher.TryDecrypt(ring, stored, CredentialCipher.OneTimeContext(key), out plaintext);
            if (result == DecryptResult.Ok)
            {
                return plaintext;
            }
        }

        var code = CredentialProtector.ErrorCodeOf(result);
        SecretsLog.OneTimeValueRefused(protector.Logger, code, CredentialCipher.KeyIdOf(stored) ?? "(none)");
        throw new IntegrationException(code, $"A stored one-time value (OAuth state or a pending site selection) could not be used: {(result == DecryptResult.KeyUnknown ? "it is encrypted under a key id the key ring does not hold" : CredentialProtector.Describe(result))}.");
    }
}
