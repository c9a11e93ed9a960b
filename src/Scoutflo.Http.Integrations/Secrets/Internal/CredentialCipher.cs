using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Scoutflo.Http.Integrations.Secrets.Internal;

/// <summary>
/// The envelope every encrypted value is stored as: <c>scoutflo-enc:v1:{key id}:{payload}</c>,
/// the payload being base64url (no padding) of nonce (12 bytes), tag (16 bytes) and AES-256-GCM
/// ciphertext. The prefix lets plain and encrypted values sit side by side (a collection half
/// way through its migration) and tells a reader which is which; the key id picks the key; the
/// version leaves room for another format. The associated data binds a value to its place
/// (record and field, or cache key) and to its header, so a ciphertext copied anywhere else,
/// or relabelled with another key id, fails authentication instead of decrypting.
/// </summary>
internal static class CredentialCipher
{
    public const string Prefix = "scoutflo-enc:";
    private const string Version1 = "v1";
    private const int NonceSize = 12;
    private const int TagSize = 16;

    // Refuses invalid bytes rather than replacing them: a damaged plaintext is an error, not text.
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Whether a stored value is an envelope (of any version) rather than plain text.</summary>
    public static bool IsEncrypted(string? value) => value is not null && value.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>
    /// Where a stored credential belongs: its record and field. The id in lower case, the form
    /// MongoDB hands back whatever case it was written in (ids are hex, either case accepted).
    /// </summary>
    public static string CredentialContext(string integrationId, string field) => $"credential\n{integrationId.ToLowerInvariant()}\n{field}";

    /// <summary>Where a shared-cache value belongs: its key.</summary>
    public static string CacheContext(string key) => $"token-cache\n{key}";

    /// <summary>Where a one-time value belongs: its key.</summary>
    public static string OneTimeContext(string key) => $"one-time\n{key}";

    public static string Encrypt(CredentialKeyRing ring, string plaintext, string context)
    {
        var keyId = ring.CurrentKeyId;
        var key = ring.FindKey(keyId)!;
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var payload = new byte[NonceSize + TagSize + plain.Length];
        var nonce = payload.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using (var aes = new AesGcm(key, TagSize))
        {
            aes.Encrypt(nonce, plain, payload.AsSpan(NonceSize + TagSize), payload.AsSpan(NonceSize, TagSize), AssociatedData(keyId, context));
        }

        CryptographicOperations.ZeroMemory(plain);
        return string.Concat(Prefix, Version1, ":", keyId, ":", Base64Url.EncodeToString(payload));
    }

    /// <summary>The key id of an envelope, or <see langword="null"/> for plain text or a malformed header.</summary>
    public static string? KeyIdOf(string value)
    {
        if (!TryParseHeader(value, out var version, out var keyId, out _) || version != Version1)
        {
            return null;
        }

        return keyId;
    }

    /// <summary>Opens an envelope; the failure says why without the value.</summary>
    public static DecryptResult TryDecrypt(CredentialKeyRing ring, string value, string context, out string plaintext)
    {
        plaintext = string.Empty;
        if (!TryParseHeader(value, out var version, out var keyId, out var encoded) || version != Version1)
        {
            return DecryptResult.Malformed;
        }

        if (ring.FindKey(keyId) is not { } key)
        {
            return DecryptResult.KeyUnknown;
        }

        byte[] payload;
        try
        {
            payload = Base64Url.DecodeFromChars(encoded);
        }
        catch (FormatException)
        {
            return DecryptResult.Malformed;
        }

        if (payload.Length < NonceSize + TagSize)
        {
            return DecryptResult.Malformed;
        }

        var plain = new byte[payload.Length - NonceSize - TagSize];
        try
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(payload.AsSpan(0, NonceSize), payload.AsSpan(NonceSize + TagSize), payload.AsSpan(NonceSize, TagSize), plain, AssociatedData(keyId, context));
        }
        catch (AuthenticationTagMismatchException)
        {
            return DecryptResult.AuthenticationFailed;
        }

        try
        {
            plaintext = StrictUtf8.GetString(plain);
        }
        catch (DecoderFallbackException)
        {
            return DecryptResult.Malformed;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }

        return DecryptResult.Ok;
    }

    private static byte[] AssociatedData(string keyId, string context) =>
        Encoding.UTF8.GetBytes(string.Concat(Prefix, Version1, ":", keyId, "\n", context));

    private static bool TryParseHeader(string value, out string version, out string keyId, out ReadOnlySpan<char> payload)
    {
        version = keyId = string.Empty;
        payload = default;
        if (!IsEncrypted(value))
        {
            return false;
        }

        var rest = value.AsSpan(Prefix.Length);
        var first = rest.IndexOf(':');
        if (first <= 0)
        {
            return false;
        }

        version = rest[..first].ToString();
        rest = rest[(first + 1)..];
        var second = rest.IndexOf(':');
        if (second <= 0)
        {
            return false;
        }

        keyId = rest[..second].ToString();
        payload = rest[(second + 1)..];
        return CredentialKeyRing.IsValidKeyId(keyId);
    }
}

/// <summary>How opening an envelope went.</summary>
internal enum DecryptResult
{
    Ok,

    /// <summary>Not a readable envelope: unknown version, broken header or payload.</summary>
    Malformed,

    /// <summary>Encrypted under a key id the ring does not hold.</summary>
    KeyUnknown,

    /// <summary>The tag does not match: the value was changed, moved to another place, or the key bytes differ.</summary>
    AuthenticationFailed,
}
