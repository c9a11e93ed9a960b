using System.Collections.Frozen;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Scoutflo.Http.Integrations.Secrets.Internal;

/// <summary>
/// Encrypts and decrypts whole records and single values with the current key ring, and turns
/// every failure into the library's error with a log line that names the place, never the value.
/// </summary>
internal sealed class CredentialProtector(
    ICredentialKeyRingProvider keys,
    IOptionsMonitor<CredentialEncryptionOptions> options,
    ILogger<CredentialProtector> logger)
{
    public ILogger Logger => logger;

    public bool EncryptWrites => options.CurrentValue.EncryptWrites;

    public bool RejectPlaintext => options.CurrentValue.RejectPlaintext;

    public ValueTask<CredentialKeyRing> RingAsync(CancellationToken cancellationToken) => keys.GetKeyRingAsync(cancellationToken);

    /// <summary>The record with every non-empty credential encrypted under the current key, bound to its id and field.</summary>
    public static Integration EncryptRecord(CredentialKeyRing ring, Integration record)
    {
        var encrypted = new Dictionary<string, string>(record.Credentials.Count, StringComparer.Ordinal);
        foreach (var (field, value) in record.Credentials)
        {
            encrypted[field] = string.IsNullOrEmpty(value) ? value : CredentialCipher.Encrypt(ring, value, CredentialCipher.CredentialContext(record.Id, field));
        }

        return record with { Credentials = encrypted.ToFrozenDictionary(StringComparer.Ordinal) };
    }

    /// <summary>The record with its credentials in plain text.</summary>
    /// <exception cref="IntegrationException"><c>integration_credentials_key_unknown</c> or <c>integration_credentials_decryption_failed</c>.</exception>
    public Integration DecryptRecord(CredentialKeyRing ring, Integration record)
    {
        Dictionary<string, string>? plain = null;
        foreach (var (field, value) in record.Credentials)
        {
            if (!CredentialCipher.IsEncrypted(value))
            {
                if (RejectPlaintext && !string.IsNullOrEmpty(value))
                {
                    throw Refused(record.Id, field, DecryptResult.Malformed, "(plain text)", "it is stored in plain text while CredentialEncryptionOptions.RejectPlaintext is on");
                }

                continue;
            }

            plain ??= new Dictionary<string, string>(record.Credentials, StringComparer.Ordinal);
            plain[field] = OpenCredential(ring, record.Id, field, value);
        }

        return plain is null ? record : record with { Credentials = plain.ToFrozenDictionary(StringComparer.Ordinal) };
    }

    /// <summary>Decrypts one stored credential of a record.</summary>
    public string OpenCredential(CredentialKeyRing ring, string integrationId, string field, string value)
    {
        var result = CredentialCipher.TryDecrypt(ring, value, CredentialCipher.CredentialContext(integrationId, field), out var plaintext);
        return result == DecryptResult.Ok
            ? plaintext
            : throw Refused(integrationId, field, result, CredentialCipher.KeyIdOf(value) ?? "(none)", null);
    }

    /// <summary>The error (logged here) for a value that cannot be used.</summary>
    public IntegrationException Refused(string integrationId, string field, DecryptResult result, string keyId, string? reason)
    {
        var code = ErrorCodeOf(result);
        SecretsLog.CredentialRefused(logger, integrationId, field, code, keyId);
        var message = result == DecryptResult.KeyUnknown
            ? $"The stored credential '{field}' of integration '{integrationId}' is encrypted under key id '{keyId}', which the key ring does not hold; add that key to the ring (CredentialEncryptionOptions.Keys). The credential is not used."
            : $"The stored credential '{field}' of integration '{integrationId}' could not be decrypted: {reason ?? Describe(result)}. The credential is not used.";
        return new IntegrationException(code, message) { IntegrationId = integrationId };
    }

    public static string ErrorCodeOf(DecryptResult result) => result == DecryptResult.KeyUnknown
        ? IntegrationErrorCodes.CredentialsKeyUnknown
        : IntegrationErrorCodes.CredentialsDecryptionFailed;

    public static string Describe(DecryptResult result) => result switch
    {
        DecryptResult.AuthenticationFailed => "authentication failed (the value was changed, copied from another record or field, or written with other key bytes under the same id)",
        _ => "the value is not a readable envelope (unknown format version or a damaged value)",
    };
}
